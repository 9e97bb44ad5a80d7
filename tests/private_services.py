"""A PostgreSQL cluster or Kafka broker of a test's own, for tests that stop and start it
without disturbing the shared services every other test uses."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.stack import ROOT, free_port

SERVICES = ROOT / "scripts" / "services.sh"


def accepts_connections(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class PrivateService:
    """Started and stopped by services.sh; each step is checked on the port, so an outage test
    fails instead of passing against a service that never went down."""

    def __init__(self, kind: str, env: dict[str, str], port: int) -> None:
        self.kind = kind
        self.env = env
        self.port = port

    def start(self) -> None:
        self._run(f"{self.kind}-up")
        assert accepts_connections(self.port), f"{self.kind} up, yet nothing listens on port {self.port}"

    def stop(self) -> None:
        self._run(f"{self.kind}-down")
        assert not accepts_connections(self.port), f"{self.kind} down, yet port {self.port} still accepts connections"

    @contextmanager
    def running(self) -> Iterator[PrivateService]:
        self.start()
        try:
            yield self
        finally:
            self.stop()

    def _run(self, command: str) -> None:
        done = subprocess.run(["bash", str(SERVICES), command], env=self.env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"services.sh {command} failed:\n{done.stderr[-3000:]}")


@contextmanager
def private_kafka(state_dir: Path) -> Iterator[tuple[PrivateService, str]]:
    """A broker on free ports, reusing the jars the shared broker was started from."""
    port, controller = free_port(), free_port()
    version = os.environ.get("MOMENTUM_KAFKA_VERSION", "4.1.2")
    shared_lib = ROOT / ".state" / "kafka" / f"lib-{version}"  # fetched there by services.sh when missing
    env = {
        **os.environ,
        "MOMENTUM_STATE_DIR": str(state_dir),
        "MOMENTUM_KAFKA_LIB": str(shared_lib),
        "MOMENTUM_KAFKA_PORT": str(port),
        "MOMENTUM_KAFKA_CONTROLLER_PORT": str(controller),
        "MOMENTUM_KAFKA_HEAP": "-Xms64m -Xmx384m",
    }
    with PrivateService("kafka", env, port).running() as broker:
        yield broker, f"127.0.0.1:{port}"


@contextmanager
def private_postgres(state_dir: Path) -> Iterator[tuple[PrivateService, str]]:
    port = free_port()
    root = Path(f"/var/lib/momentum/pg-test-{port}")
    env = {**os.environ, "MOMENTUM_STATE_DIR": str(state_dir), "MOMENTUM_PG_PORT": str(port),
           "MOMENTUM_PG_ROOT": str(root)}
    try:
        with PrivateService("pg", env, port).running() as cluster:
            yield cluster, f"postgresql://momentum:momentum@127.0.0.1:{port}/momentum"
    finally:
        shutil.rmtree(root, ignore_errors=True)
