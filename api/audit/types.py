"""GraphQL types of the audit: timeline entries and goals as they were (time travel)."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from api import descriptions as d
from api.connections import PageInfo
from api.goals.types import GoalStatus, KeyResultKind, OwnerKind, Visibility
from api.resolvers import Row, optional_id
from domain.goal import Goal as GoalAggregate


@strawberry.type(description="One field an event changed.")
class FieldChange:
    field: str = strawberry.field(
        description="The field's name as in Goal, in snake_case (e.g. `status`, `owner_id`); a key result's "
        "field is `keyResults.<id>.<field>`."
    )
    before: JSON | None = strawberry.field(
        description="Its value before the event; null when it had none (e.g. a new key result)."
    )
    after: JSON | None = strawberry.field(description="Its value after the event; null when it has none.")


@strawberry.type(description="One event of a goal: when, who, what, why and the change.")
class TimelineEntry:
    goal_id: strawberry.ID = strawberry.field(description="The goal the event belongs to.")
    version: int = strawberry.field(description=d.CHANGE_VERSION)
    sequence: int = strawberry.field(description=d.EVENT_SEQUENCE + " The timeline's order.")
    at: datetime = strawberry.field(description=d.AT)
    actor: str = strawberry.field(description=d.ACTOR)
    event_type: str = strawberry.field(
        description="The CloudEvents type of the event, e.g. `momentum.goal.Approved.v1` (see docs/events/). "
        "A string, not an enum: new event versions are added over time."
    )
    event: str = strawberry.field(description="The event's name without domain and version, e.g. `Approved`.")
    reason: str = strawberry.field(description="The reason, comment or note the event carries; empty if none.")
    changes: list[FieldChange] = strawberry.field(description="Every field the event changed, by name.")

    @classmethod
    def of(cls, row: Row) -> TimelineEntry:
        return cls(
            goal_id=strawberry.ID(row["goal_id"]), version=row["version"], sequence=row["sequence"],
            at=row["at"], actor=row["actor"], event_type=row["event_type"], event=row["event"],
            reason=row["reason"], changes=[FieldChange(**c) for c in row["changes"]],
        )


@strawberry.type(description="A timeline entry, with its cursor.")
class TimelineEdge:
    cursor: str = strawberry.field(description=d.CURSOR)
    node: TimelineEntry = strawberry.field(description=d.NODE)


@strawberry.type(description="One page of a timeline, oldest event first (a Relay cursor connection).")
class TimelineConnection:
    edges: list[TimelineEdge] = strawberry.field(description=d.EDGES)
    page_info: PageInfo = strawberry.field(description=d.PAGE_INFO)


@strawberry.type(description="A key result as it was.")
class KeyResultAsOf:
    id: strawberry.ID = strawberry.field(description=d.KEY_RESULT_ID)
    kind: KeyResultKind = strawberry.field(description="How the value turned into progress.")
    start: float = strawberry.field(description=d.START)
    target: float = strawberry.field(description="The target then. " + d.TARGET)
    value: float = strawberry.field(description="The value then (the latest check-in's, or start).")
    progress: float = strawberry.field(description=d.PROGRESS)
    weight: float = strawberry.field(description=d.WEIGHT)


@strawberry.type(description="A goal exactly as it was at a version, read from the event store.")
class GoalAsOf:
    id: strawberry.ID = strawberry.field(description="The goal's id (a UUID).")
    version: int = strawberry.field(description="The goal's version shown: the last event applied.")
    at: datetime = strawberry.field(description="When that version was stored (UTC).")
    cycle_id: strawberry.ID | None = strawberry.field(description=d.GOAL_CYCLE)
    title: str = strawberry.field(description="The title then.")
    description: str = strawberry.field(description="The description then.")
    owner_kind: OwnerKind = strawberry.field(description=d.OWNER_KIND)
    owner_id: str = strawberry.field(description=d.OWNER_ID)
    parent_id: strawberry.ID | None = strawberry.field(description=d.PARENT_ID)
    weight: float = strawberry.field(description=d.WEIGHT)
    rolls_up: bool = strawberry.field(description=d.ROLLS_UP)
    visibility: Visibility = strawberry.field(description=d.VISIBILITY)
    status: GoalStatus = strawberry.field(description="Where the goal was in its lifecycle.")
    progress: float = strawberry.field(description="Rolled up over the key results (own check-ins without).")
    own_progress: float = strawberry.field(description="Progress of the goal's own check-ins then, 0–100.")
    confidence: int | None = strawberry.field(description="The latest check-in's then. " + d.CONFIDENCE)
    check_in_count: int = strawberry.field(description="How many check-ins it had had.")
    pending_change: JSON | None = strawberry.field(
        description="The proposed change not yet decided then, as `{field: value}`; null for none."
    )
    key_results: list[KeyResultAsOf] = strawberry.field(
        description="Its key results then, in the order they were added."
    )

    @classmethod
    def of(cls, goal: GoalAggregate, progress: float) -> GoalAsOf:
        return cls(
            id=strawberry.ID(str(goal.id)), version=goal.version, at=goal.modified_on,
            cycle_id=optional_id(goal.cycle_id), title=goal.title, description=goal.description,
            owner_kind=OwnerKind(goal.owner_kind), owner_id=goal.owner_id, parent_id=optional_id(goal.parent_id),
            weight=goal.weight, rolls_up=goal.rolls_up, visibility=Visibility(goal.visibility),
            status=GoalStatus(goal.status),
            progress=progress, own_progress=goal.progress, confidence=goal.confidence,
            check_in_count=goal.check_in_count, pending_change=cast(JSON, goal.pending_change),
            key_results=[
                KeyResultAsOf(id=strawberry.ID(i), kind=KeyResultKind(r["kind"]), start=r["start"], target=r["target"],
                              value=r["value"], progress=r["progress"], weight=r.get("weight", 1.0))
                for i, r in goal.key_results.items()
            ],
        )


@strawberry.type(description="A goal in the alignment tree as it was, with its rolled-up progress then.")
class GoalAsOfNode:
    goal: GoalAsOf = strawberry.field(description="The goal as it was.")
    progress: float = strawberry.field(description="Its rolled-up progress then, 0–100.")
    children: list[GoalAsOfNode] = strawberry.field(description="The goals aligned under it then.")
