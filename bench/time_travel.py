"""Time travel on a goal with 10,000 events: goalAsOf by version and by time, with snapshots
(every 100 versions) and, for comparison, by replaying every event.

    .venv/bin/python -m bench.time_travel [EVENTS]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

from application.identity import Actor
from bootstrap import build_momentum
from domain.goal import Goal
from tests.stack import drop_database, fresh_settings

AUDITOR = Actor("audrey", frozenset({"auditor"}))


def median_ms(call: Callable[[], Any], repeat: int = 21) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(events: int = 10_000) -> None:
    settings = fresh_settings()
    app = build_momentum(settings)
    try:
        goal = Goal.create(title="Long-lived goal", owner_id="ada", actor="ada")
        app.save(goal)
        started = time.perf_counter()
        for n in range(events - 1):
            goal.record_check_in(progress=n % 101, confidence=n % 11, note=f"#{n}", actor="ada")
            app.save(goal)
        print(f"stored {events:,} events in {time.perf_counter() - started:.1f} s")
        goal_id = str(goal.id)
        middle = app.get_goal(goal_id, version=events // 2).modified_on
        last = events - 1
        half = events // 2 + 50
        for label, call in [
            (f"goalAsOf(version={last:,})", lambda: app.goal_as_of(AUDITOR, goal_id, version=last)),
            (f"goalAsOf(version={half:,})", lambda: app.goal_as_of(AUDITOR, goal_id, version=half)),
            ("goalAsOf(version=50)", lambda: app.goal_as_of(AUDITOR, goal_id, version=50)),
            ("goalAsOf(at=middle)", lambda: app.goal_as_of(AUDITOR, goal_id, at=middle)),
            (f"replay {last:,} events, no snapshot", lambda: replay(app, goal.id, last)),
        ]:
            print(f"{label:40s} median {median_ms(call, 5 if 'replay' in label else 21):8.1f} ms")
    finally:
        app.close()
        drop_database(settings)


def replay(app: Any, goal_id: UUID, version: int) -> Goal:
    aggregate: Any = None
    for event in app.events.get(goal_id, lte=version):
        aggregate = event.mutate(aggregate)
    return aggregate


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
