"""`momentum run` keeps the other processes when one dies and restarts the dead one; /readyz
names a consumer process that has stopped beating."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from settings import Settings
from tests.e2e.client import GraphQL, api_base
from tests.e2e.conftest import api_ready, projector_assigned, running_pipeline
from tests.stack import Process, fresh_database, wait_until


def instances(settings: Settings) -> dict[str, str]:
    """kind → `host:pid` of the process that beat last; {} before the table exists."""
    with psycopg.connect(settings.database_url) as conn:
        try:
            return dict(conn.execute("SELECT kind, instance FROM process_heartbeats").fetchall())
        except psycopg.errors.UndefinedTable:
            return {}


def readyz(settings: Settings) -> tuple[int, dict[str, Any]]:
    response = httpx.get(f"{api_base(settings)}/readyz", timeout=5)
    return response.status_code, response.json()


def test_momentum_run_restarts_a_killed_child_and_keeps_delivering(settings: Settings, log_dir: Path) -> None:
    run = Process("run", settings, log_dir).start()
    wait_until(lambda: api_ready(settings) and projector_assigned(settings), 60, run.log)
    children = {"relay", "projector", "awarder", "measurements"}
    first = wait_until(lambda: (found := instances(settings)).keys() >= children and found, 60, run.log)
    os.kill(int(first["projector"].rsplit(":", 1)[1]), signal.SIGKILL)

    ada = GraphQL(settings, "ada")
    goal = ada.create_goal("Stored while the projector was down")
    wait_until(lambda: instances(settings)["projector"] != first["projector"], 60,
               lambda: "the projector to be restarted\n" + run.log())
    wait_until(lambda: ada.goal(goal["goalId"], consistency=goal["sequence"]) is not None, 60,
               lambda: "the goal to become visible\n" + run.log())
    assert run.child is not None and run.child.poll() is None, "momentum run is still running"
    assert instances(settings)["relay"] == first["relay"], "the other processes were kept"
    assert instances(settings)["awarder"] == first["awarder"]
    assert instances(settings)["measurements"] == first["measurements"]
    assert "projector exited with -9; restarting" in run.log()


@pytest.fixture
def quick_heartbeats() -> Iterator[Settings]:
    with fresh_database(heartbeat_timeout_seconds=3) as settings:
        yield settings


def test_readyz_names_the_process_that_is_down(quick_heartbeats: Settings, log_dir: Path) -> None:
    settings = quick_heartbeats
    with running_pipeline(settings, log_dir) as processes:
        wait_until(lambda: instances(settings).keys() >= {"relay", "projector"}, 60, "both consumers to beat")
        assert readyz(settings) == (200, {"status": "ready"})
        processes["projector"].kill()
        wait_until(lambda: readyz(settings)[0] == 503, 60, "readyz to notice the projector is down")
        assert readyz(settings) == (503, {"status": "unavailable", "down": ["projector"]})
        processes["projector"].start()
        wait_until(lambda: api_ready(settings), 60, lambda: processes["projector"].log())
