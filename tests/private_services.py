"""A PostgreSQL cluster or Kafka broker of a test's own, for tests that stop and start it
without disturbing the shared services every other test uses."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.stack import ROOT, free_port

SERVICES = ROOT / "scripts" / "services.sh"


class PrivateService:
    def __init__(self, kind: str, env: dict[str, str]) -> None:
        self.kind = kind
        self.env = env

    def start(self) -> None:
        self._run(f"{self.kind}-up")

    def stop(self) -> None:
        self._run(f"{self.kind}-down")

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
    broker = PrivateService("kafka", env)
    broker.start()
    try:
        yield broker, f"127.0.0.1:{port}"
    finally:
        broker.stop()


@contextmanager
def private_postgres(state_dir: Path) -> Iterator[tuple[PrivateService, str]]:
    port = free_port()
    root = Path(f"/var/lib/momentum/pg-test-{port}")
    env = {**os.environ, "MOMENTUM_STATE_DIR": str(state_dir), "MOMENTUM_PG_PORT": str(port),
           "MOMENTUM_PG_ROOT": str(root)}
    cluster = PrivateService("pg", env)
    cluster.start()
    try:
        yield cluster, f"postgresql://momentum:momentum@127.0.0.1:{port}/momentum"
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
