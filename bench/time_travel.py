"""A goal's state at a past version, from the event store, on a goal with many events."""

from __future__ import annotations

import random
import time
from typing import Any

import psycopg

from bench.data import store_goals
from bench.harness import summary
from bootstrap import build_momentum
from settings import Settings


def time_travel(settings: Settings, events: int, lookups: int = 200) -> dict[str, Any]:
    app = build_momentum(settings)
    [goal_id] = store_goals(app, events, per_goal=events)
    versions = [random.randint(1, events) for _ in range(lookups)]
    ours = []
    started = time.perf_counter()
    for version in versions:
        t = time.perf_counter()
        assert app.goals.get_goal(str(goal_id), version=version).version == version
        ours.append(time.perf_counter() - t)
    ours_elapsed = time.perf_counter() - started
    raw = []
    with psycopg.connect(settings.database_url) as conn:
        started = time.perf_counter()
        for version in versions:
            t = time.perf_counter()
            conn.execute(
                "SELECT state FROM momentum_events WHERE originator_id = %s AND originator_version <= %s "
                "ORDER BY originator_version", (goal_id, version),
            ).fetchall()
            raw.append(time.perf_counter() - t)
        raw_elapsed = time.perf_counter() - started
    mine, base = summary(ours, ours_elapsed), summary(raw, raw_elapsed)
    return {
        "events": events, "ours": mine,
        "baseline": {"what": "SELECT of the goal's stored events up to the version, no decoding", **base},
        "ratio": round(base["mean_ms"] / mine["mean_ms"], 3) if mine["mean_ms"] else None,
    }
