"""Replay and rebuild: read models rebuilt from offset 0 into a fresh schema equal the live
ones; an interrupted rebuild resumes; the switch happens while the API keeps serving."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from application.momentum import Momentum
from bootstrap import build_momentum
from settings import Settings
from tests.e2e.client import GraphQL
from tests.e2e.conftest import running_pipeline
from tests.integration.org import ADA, ADMIN, build_org
from tests.stack import drop_database, fresh_settings, run_cli

GOALS = "query($c: Int) { goals(first: 100, consistency: $c) { edges { node { id title progress } } } }"


@pytest.fixture
def small_batches(log_dir: Path) -> Iterator[Settings]:
    settings = fresh_settings(projector_batch_size=20)
    with running_pipeline(settings, log_dir):
        yield settings
    drop_database(settings)


def some_history(app: Momentum, goals: int, check_ins: int) -> int:
    sequence = 0
    for n in range(goals):
        goal = str(app.goals.create_goal(ADA, title=f"Goal {n}").aggregate_id)
        for c in range(check_ins):
            stored = app.goals.record_check_in(ADA, goal, progress=float(c), confidence=c % 11, note=f"#{c}")
            sequence = stored.sequence or sequence
        app.goals.edit_goal(ADA, goal, title=f"Goal {n} (final)", reason="renamed")
    return sequence


def test_rebuild_equals_live_resumes_after_an_interruption_and_switches_while_serving(
    small_batches: Settings,
) -> None:
    settings = small_batches
    app = build_momentum(settings)
    build_org(app)
    client = GraphQL(settings, "root", ("admin",))
    sequence = some_history(app, goals=6, check_ins=15)
    before = client.data(GOALS, {"c": sequence})["goals"]["edges"]

    verified = run_cli(settings, "projections", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "goal_timeline: equal" in verified.stdout and "goals: equal" in verified.stdout
    assert "DIFFERENT" not in verified.stdout

    interrupted = run_cli(settings, "projections", "rebuild", "--max-events", "30")
    assert interrupted.returncode == 3, interrupted.stderr
    assert "events/s" in interrupted.stderr and "ETA" in interrupted.stderr

    failures: list[str] = []
    stop = threading.Event()

    def keep_reading() -> None:
        while not stop.is_set():
            body = client.post(GOALS, {}).json()
            if "errors" in body or len(body["data"]["goals"]["edges"]) < len(before):
                failures.append(str(body)[:300])

    reader = threading.Thread(target=keep_reading)
    reader.start()
    try:
        writer = threading.Thread(target=some_history, args=(app, 2, 5))
        writer.start()
        rebuilt = run_cli(settings, "projections", "rebuild")
        writer.join()
    finally:
        stop.set()
        reader.join()
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert "resuming the rebuild" in rebuilt.stderr
    assert "rebuilt and switched" in rebuilt.stdout
    assert failures == []

    last = app.goals.record_check_in(ADMIN, before[0]["node"]["id"], progress=99.0)
    after = client.data(GOALS, {"c": last.sequence})["goals"]["edges"]
    assert len(after) == len(before) + 2 and after[0]["node"]["progress"] == 99.0
    again = run_cli(settings, "projections", "verify")
    assert again.returncode == 0 and "DIFFERENT" not in again.stdout, again.stdout + again.stderr
    single = run_cli(settings, "projections", "verify", "timeline")
    assert single.returncode == 0 and single.stdout.splitlines()[0].startswith("goal_timeline: equal")
    app.close()


def test_a_rebuild_caught_up_by_two_processes_equals_live(small_batches: Settings) -> None:
    settings = small_batches
    app = build_momentum(settings)
    build_org(app)
    some_history(app, goals=8, check_ins=6)
    interrupted = run_cli(settings, "projections", "rebuild", "--processes", "2", "--max-events", "20")
    assert interrupted.returncode == 3, interrupted.stderr
    groups = {line.split("(partitions ")[1].split(")")[0] for line in interrupted.stderr.splitlines()
              if "(partitions " in line}
    assert len(groups) == 2, interrupted.stderr  # each process caught up its own share of the partitions

    rebuilt = run_cli(settings, "projections", "rebuild", "--processes", "2")
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert "resuming the rebuild" in rebuilt.stderr and "rebuilt and switched" in rebuilt.stdout
    verified = run_cli(settings, "projections", "verify")
    assert verified.returncode == 0 and "DIFFERENT" not in verified.stdout, verified.stdout + verified.stderr
    app.close()
