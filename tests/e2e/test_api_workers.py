"""`momentum api` with two worker processes on one port: a write served by one worker, then a
write on the same goal served by the other, is neither lost nor refused (each worker's aggregate
cache catches up from the store before deciding), and each worker reads what the other wrote."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx

from api.auth import issue_token
from settings import Settings
from tests.e2e.client import GOAL, RECORD_CHECK_IN, GraphQL, api_base
from tests.e2e.conftest import running_pipeline
from tests.stack import Process, fresh_database, wait_until

WRITES = 24  # each on a new connection, which the kernel hands to either worker
STARTUP_S = 120  # two workers import and build the app in parallel: slow on a busy machine


def pids_of(log: Path, method: str) -> list[int]:
    """The worker pid of each `method` request to /graphql, in order (writes POST, reads GET)."""
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    return [line["pid"] for line in lines if line.get("path") == "/graphql" and line.get("method") == method]


def on_a_new_connection(settings: Settings, method: str, query: str, variables: dict[str, Any]) -> Any:
    """One request on a connection of its own, so that either worker may answer; fails on any error."""
    headers = {"Authorization": f"Bearer {issue_token(settings, 'ada', [])}"}
    url = f"{api_base(settings)}/graphql"
    if method == "GET":
        response = httpx.get(url, params={"query": query, "variables": json.dumps(variables)}, headers=headers)
    else:
        response = httpx.post(url, json={"query": query, "variables": variables}, headers=headers, timeout=30)
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def test_writes_alternating_between_two_workers_are_all_stored_and_read_through_either(log_dir: Path) -> None:
    with fresh_database(api_workers=2) as settings:
        with running_pipeline(settings, log_dir, startup=STARTUP_S) as processes:
            goal_id = GraphQL(settings).create_goal("Served by two")["goalId"]
            versions = []
            for n in range(WRITES):
                stored = on_a_new_connection(settings, "POST", RECORD_CHECK_IN,
                                             {"input": {"goalId": goal_id, "progress": n}})["recordCheckIn"]
                versions.append(stored["version"])
                shown = on_a_new_connection(settings, "GET", GOAL,
                                            {"id": goal_id, "consistency": stored["sequence"]})["goal"]
                assert (shown["version"], shown["progress"], shown["checkInCount"]) == (stored["version"], n, n + 1)
        log = processes["api"].log_path
    assert versions == list(range(2, WRITES + 2))  # every check-in stored once, none refused or lost
    writers, readers = pids_of(log, "POST")[1:], pids_of(log, "GET")  # [1:]: the createGoal
    assert len(writers) == WRITES and len(set(writers)) == 2, f"check-ins served by {set(writers)} only"
    assert any(a != b for a, b in zip(writers, writers[1:], strict=False))  # a write, then one by the other worker
    assert len(set(readers)) == 2


def worker_pids(supervisor: int) -> set[int]:
    tasks = Path(f"/proc/{supervisor}/task")
    children = {int(pid) for task in tasks.iterdir() for pid in (task / "children").read_text().split()}
    return {pid for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()}


def running_pid(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")  # a zombie has ended, whoever reaps it


def test_a_sigkilled_api_takes_its_workers_with_it(log_dir: Path) -> None:
    with fresh_database(api_workers=2) as settings:
        api = Process("api", settings, log_dir).start()
        assert api.child is not None
        wait_until(lambda: api.log().count("Application startup complete.") == 2, STARTUP_S, api.log)
        workers = worker_pids(api.child.pid)
        assert len(workers) == 2 and os.getpid() not in workers
        api.kill()
        wait_until(lambda: not any(running_pid(pid) for pid in workers), 60, "the workers to end with the API")
