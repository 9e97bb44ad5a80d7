"""GraphQL types of the audit: timeline entries and goals as they were (time travel)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from api.types import PageInfo, optional_id
from domain.goal import Goal as GoalAggregate

Row = dict[str, Any]


@strawberry.type(description="One field an event changed.")
class FieldChange:
    field: str
    before: JSON | None
    after: JSON | None


@strawberry.type(description="One event of a goal: when, who, what, why and the change.")
class TimelineEntry:
    goal_id: strawberry.ID
    version: int
    sequence: int
    at: datetime
    actor: str
    event_type: str
    event: str
    reason: str
    changes: list[FieldChange]

    @classmethod
    def of(cls, row: Row) -> TimelineEntry:
        return cls(
            goal_id=strawberry.ID(row["goal_id"]), version=row["version"], sequence=row["sequence"],
            at=row["at"], actor=row["actor"], event_type=row["event_type"], event=row["event"],
            reason=row["reason"], changes=[FieldChange(**c) for c in row["changes"]],
        )


@strawberry.type
class TimelineEdge:
    cursor: str
    node: TimelineEntry


@strawberry.type
class TimelineConnection:
    edges: list[TimelineEdge]
    page_info: PageInfo


@strawberry.type(description="A key result as it was.")
class KeyResultAsOf:
    id: strawberry.ID
    kind: str
    start: float
    target: float
    value: float
    progress: float
    weight: float


@strawberry.type(description="A goal exactly as it was at a version, read from the event store.")
class GoalAsOf:
    id: strawberry.ID
    version: int
    at: datetime
    cycle_id: strawberry.ID | None
    title: str
    description: str
    owner_kind: str
    owner_id: str
    parent_id: strawberry.ID | None
    weight: float
    rolls_up: bool
    visibility: str
    status: str
    progress: float = strawberry.field(description="Rolled up over the key results (own check-ins without).")
    own_progress: float
    confidence: int | None
    check_in_count: int
    pending_change: JSON | None
    key_results: list[KeyResultAsOf]

    @classmethod
    def of(cls, goal: GoalAggregate, progress: float) -> GoalAsOf:
        return cls(
            id=strawberry.ID(str(goal.id)), version=goal.version, at=goal.modified_on,
            cycle_id=optional_id(goal.cycle_id), title=goal.title, description=goal.description,
            owner_kind=goal.owner_kind, owner_id=goal.owner_id, parent_id=optional_id(goal.parent_id),
            weight=goal.weight, rolls_up=goal.rolls_up, visibility=goal.visibility, status=goal.status,
            progress=progress, own_progress=goal.progress, confidence=goal.confidence,
            check_in_count=goal.check_in_count, pending_change=cast(JSON, goal.pending_change),
            key_results=[
                KeyResultAsOf(id=strawberry.ID(i), kind=r["kind"], start=r["start"], target=r["target"],
                              value=r["value"], progress=r["progress"], weight=r.get("weight", 1.0))
                for i, r in goal.key_results.items()
            ],
        )


@strawberry.type(description="A goal in the alignment tree as it was, with its rolled-up progress then.")
class GoalAsOfNode:
    goal: GoalAsOf
    progress: float
    children: list[GoalAsOfNode]
