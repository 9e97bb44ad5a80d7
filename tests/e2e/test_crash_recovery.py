"""SIGKILL the relay and the projector mid-stream: nothing is lost and nothing is applied twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from application.identity import Actor
from application.momentum import Momentum
from bootstrap import build_momentum
from domain.goal import Goal
from settings import Settings
from tests.e2e.kills import finish_after_kills
from tests.stack import Process, drop_database, fresh_settings, read_topic, scalar, wait_until

GOALS, CHECK_INS_PER_GOAL = 50, 24  # 1,250 events


@pytest.fixture
def small_batches() -> Iterator[Settings]:
    settings = fresh_settings(relay_batch_size=20, projector_batch_size=25)
    yield settings
    drop_database(settings)


def store_backlog(app: Momentum) -> list[int]:
    ada = Actor("ada")
    for g in range(GOALS):
        goal = Goal.create(title=f"Goal {g}", owner_id=ada.id, actor=ada.id)
        for c in range(CHECK_INS_PER_GOAL):
            goal.record_check_in(progress=c * 4, confidence=c % 11, note=f"#{c}", actor=ada.id)
        app.save(goal)
    return [n.id for n in app.recorder.select_notifications(start=None, limit=10_000)]


def test_a_killed_relay_publishes_every_event_exactly_once(small_batches: Settings, log_dir: Path) -> None:
    app = build_momentum(small_batches)
    sequences = store_backlog(app)
    assert len(sequences) == GOALS * (CHECK_INS_PER_GOAL + 1)
    relay = Process("relay", small_batches, log_dir)
    published = lambda: scalar(small_batches, "SELECT max(sequence) FROM relay_positions")  # noqa: E731

    finish_after_kills(relay, "relay", published, sequences[-1], 60)

    records = read_topic(small_batches)
    found = [r["sequence"] for r in records]
    assert sorted(found) == sequences, "every stored sequence exactly once"
    by_goal: dict[str, list[int]] = {}
    for record in records:
        by_goal.setdefault(record["subject"], []).append(record["aggregateversion"])
    assert all(v == list(range(1, CHECK_INS_PER_GOAL + 2)) for v in by_goal.values()), "order per goal"
    app.close()


def test_a_killed_projector_applies_every_event_exactly_once(small_batches: Settings, log_dir: Path) -> None:
    app = build_momentum(small_batches)
    sequences = store_backlog(app)
    relay = Process("relay", small_batches, log_dir).start()
    try:
        wait_until(
            lambda: scalar(small_batches, "SELECT max(sequence) FROM relay_positions") == sequences[-1],
            60, lambda: "the relay to publish the backlog\n" + relay.log(),
        )
    finally:
        relay.stop()

    projector = Process("projector", small_batches, log_dir)
    applied = lambda: scalar(small_batches, "SELECT count(*) FROM goal_check_ins")  # noqa: E731
    check_ins = GOALS * CHECK_INS_PER_GOAL
    finish_after_kills(projector, "projector", applied, check_ins, 60)

    with psycopg.connect(small_batches.database_url) as conn:
        stored = {r[0] for r in conn.execute(
            "SELECT notification_id FROM momentum_events WHERE topic LIKE %s", ("%CheckInRecorded",)
        ).fetchall()}
        projected = [r[0] for r in conn.execute("SELECT sequence FROM goal_check_ins").fetchall()]
        goals = conn.execute("SELECT version, check_in_count, progress, confidence FROM goals").fetchall()
    assert sorted(projected) == sorted(stored) and len(projected) == check_ins
    last = CHECK_INS_PER_GOAL - 1
    assert goals == [(CHECK_INS_PER_GOAL + 1, CHECK_INS_PER_GOAL, last * 4.0, last % 11)] * GOALS
    app.close()

