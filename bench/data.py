"""Fast ways to fill the event store for a benchmark."""

from __future__ import annotations

from uuid import UUID

from application.identity import Actor
from application.momentum import Momentum
from domain.goal import Goal

OWNER = Actor("bench-owner")


def store_goals(app: Momentum, events: int, per_goal: int = 100) -> list[UUID]:
    """Goals of `per_goal` events each (one Created, then check-ins), each saved in one transaction."""
    ids: list[UUID] = []
    remaining = events
    while remaining > 0:
        size = min(per_goal, remaining)
        goal = Goal.create(title=f"Bench {len(ids)}", owner_id=OWNER.id, actor=OWNER.id)
        for i in range(size - 1):
            goal.record_check_in(progress=i % 101, confidence=i % 11, note="bench", actor=OWNER.id)
        app.save(goal)
        ids.append(goal.id)
        remaining -= size
    return ids
