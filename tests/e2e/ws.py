"""A small graphql-transport-ws client for end-to-end tests."""

from __future__ import annotations

import json
from contextlib import ExitStack
from typing import Any

from websockets.sync.client import ClientConnection, connect

from settings import Settings

PROTOCOL = "graphql-transport-ws"


class Subscriptions:
    """One websocket; `payload` is sent in connection_init (e.g. {"Authorization": "Bearer …"}),
    unless `init` is False."""

    def __init__(
        self, settings: Settings, payload: dict[str, Any] | None = None, init: bool = True, **headers: str
    ) -> None:
        url = f"ws://{settings.api_host}:{settings.api_port}/graphql"
        self.opened = ExitStack()
        self.ws: ClientConnection = self.opened.enter_context(
            connect(url, subprotocols=[PROTOCOL], additional_headers=headers, open_timeout=10)  # type: ignore[list-item]
        )
        if init:
            self.send({"type": "connection_init", "payload": payload or {}})

    def send(self, message: dict[str, Any]) -> None:
        self.ws.send(json.dumps(message))

    def receive(self, timeout: float = 30) -> dict[str, Any]:
        """The next message that is not a ping; raises on timeout or once the socket closes."""
        while True:
            message: dict[str, Any] = json.loads(self.ws.recv(timeout=timeout))
            if message["type"] != "ping":
                return message

    def subscribe(self, id: str, query: str, variables: dict[str, Any] | None = None) -> None:
        self.send({"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}})

    def close(self) -> None:
        self.opened.close()
