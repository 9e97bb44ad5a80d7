"""Headless Chromium driven over the DevTools protocol, with every host but 127.0.0.1
unresolvable: what a page needs from elsewhere fails as it would without internet."""

from __future__ import annotations

import itertools
import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

from tests.stack import wait_until

CHROMIUM = "/usr/bin/chromium"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1200,900", "--remote-debugging-port=0",
         "--remote-allow-origins=*", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")


class Page:
    """One tab: evaluate JavaScript in it, insert text as a paste would, wait for a condition."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.ids = itertools.count(1)

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        request = next(self.ids)
        self.socket.send(json.dumps({"id": request, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("id") == request:
                assert "error" not in message, message
                result: dict[str, Any] = message["result"]
                return result

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def wait_for(self, expression: str, what: str, timeout: float = 60) -> Any:
        return wait_until(lambda: self.evaluate(expression), timeout, what)

    def insert_text(self, text: str) -> None:
        self.send("Input.insertText", text=text)


@contextmanager
def chromium(url: str, profile: Path) -> Iterator[Page]:
    browser = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", url],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        lines = wait_until(lambda: port_file.exists() and len(found := port_file.read_text().split()) == 2 and found,
                           60, "Chromium to write its DevTools port and path")  # in two lines; the port first
        port = int(lines[0])
        targets = wait_until(lambda: [t for t in httpx.get(f"http://127.0.0.1:{port}/json/list").json()
                                      if t["type"] == "page"], 30, "Chromium's page target")
        with connect(targets[0]["webSocketDebuggerUrl"], max_size=None) as socket:
            yield Page(socket)
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=15)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()
