from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import pytest

from settings import Settings
from tests.e2e.client import api_base
from tests.e2e.ws import Subscriptions
from tests.stack import Process, fresh_database, wait_until


def api_ready(settings: Settings) -> bool:
    try:
        return httpx.get(f"{api_base(settings)}/readyz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def projector_assigned(settings: Settings) -> bool:
    with psycopg.connect(settings.database_url) as conn:
        row = conn.execute("SELECT count(*) FROM projector_positions").fetchone()
    return bool(row and row[0] >= settings.kafka_partitions)


@contextmanager
def running_pipeline(settings: Settings, log_dir: Path, startup: float = 30) -> Iterator[dict[str, Process]]:
    """The API, the relay and the projector as real processes, ready to serve (within `startup` s)."""
    processes = {name: Process(name, settings, log_dir) for name in ("relay", "projector", "api")}
    for process in processes.values():
        process.start()
    try:
        wait_until(lambda: api_ready(settings), startup, lambda: "the API to become ready\n" + processes["api"].log())
        wait_until(lambda: projector_assigned(settings), startup, "the projector to take its partitions")
        yield processes
    finally:
        for process in processes.values():
            process.stop()


@pytest.fixture
def pipeline(settings: Settings, log_dir: Path) -> Iterator[dict[str, Process]]:
    """The pipeline on an isolated database and topic of the shared services."""
    with running_pipeline(settings, log_dir) as processes:
        yield processes


def started_api(settings: Settings, log_dir: Path) -> Process:
    """An API process that answers /readyz (stopped again if it never does)."""
    process = Process("api", settings, log_dir).start()
    try:
        wait_until(lambda: api_ready(settings), 30, lambda: "the API to become ready\n" + process.log())
    except AssertionError:
        process.stop()
        raise
    return process


@pytest.fixture
def api(settings: Settings, log_dir: Path) -> Iterator[Process]:
    """Only the API process: enough for the write side and its refusals."""
    process = started_api(settings, log_dir)
    yield process  # pytest runs the rest even when the test fails
    process.stop()


@contextmanager
def api_with(log_dir: Path, **overrides: object) -> Iterator[tuple[Settings, Process]]:
    """An API on a database of its own with `overrides`, stopped and dropped when the block ends
    (not after each test: a module-scoped fixture may keep it)."""
    with fresh_database(**overrides) as settings:
        process = started_api(settings, log_dir)
        Process.started.remove(process)
        try:
            yield settings, process
        finally:
            process.stop()


@pytest.fixture
def sockets() -> Iterator[list[Subscriptions]]:
    """Websockets a test opens (tests/e2e/ws.py), closed after it."""
    opened: list[Subscriptions] = []
    yield opened
    for socket in opened:
        socket.close()
