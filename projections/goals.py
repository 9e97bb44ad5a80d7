"""Goal state and check-in history, folded from public event envelopes. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

Envelope = dict[str, Any]


@dataclass(frozen=True)
class GoalView:
    id: str
    title: str
    description: str
    owner_id: str
    owner_kind: str
    visibility: str
    status: str
    progress: float
    confidence: int | None
    check_in_count: int
    created_at: str
    updated_at: str
    last_check_in_at: str | None
    version: int
    last_sequence: int


@dataclass(frozen=True)
class CheckInView:
    goal_id: str
    version: int
    progress: float
    confidence: int | None
    note: str
    blockers: str
    actor: str
    recorded_at: str
    sequence: int


def _created(_: GoalView | None, event: Envelope) -> GoalView:
    data = event["data"]
    return GoalView(
        id=event["subject"],
        title=data["title"],
        description=data["description"],
        owner_id=data["owner_id"],
        owner_kind=data["owner_kind"],
        visibility=data["visibility"],
        status=data["status"],
        progress=0.0,
        confidence=None,
        check_in_count=0,
        created_at=event["time"],
        updated_at=event["time"],
        last_check_in_at=None,
        version=event["aggregateversion"],
        last_sequence=event["sequence"],
    )


def _title_changed(view: GoalView, event: Envelope) -> GoalView:
    return replace(view, title=event["data"]["title"])


def _check_in_recorded(view: GoalView, event: Envelope) -> GoalView:
    data = event["data"]
    return replace(
        view,
        progress=float(data["progress"]),
        confidence=data["confidence"],
        check_in_count=view.check_in_count + 1,
        last_check_in_at=event["time"],
    )


EVOLVERS: dict[str, Callable[[Any, Envelope], GoalView]] = {
    "momentum.goal.Created.v1": _created,
    "momentum.goal.TitleChanged.v1": _title_changed,
    "momentum.goal.CheckInRecorded.v1": _check_in_recorded,
}


def handles(event: Envelope) -> bool:
    return event["type"] in EVOLVERS


def evolve(view: GoalView | None, event: Envelope) -> GoalView:
    """The goal after `event`. Events at or below the view's version are ignored, so
    at-least-once delivery cannot apply one twice."""
    if view is not None and event["aggregateversion"] <= view.version:
        return view
    changed = EVOLVERS[event["type"]](view, event)
    return replace(
        changed,
        updated_at=event["time"],
        version=event["aggregateversion"],
        last_sequence=event["sequence"],
    )


def check_in(event: Envelope) -> CheckInView | None:
    if event["type"] != "momentum.goal.CheckInRecorded.v1":
        return None
    data = event["data"]
    return CheckInView(
        goal_id=event["subject"],
        version=event["aggregateversion"],
        progress=float(data["progress"]),
        confidence=data["confidence"],
        note=data["note"],
        blockers=data["blockers"],
        actor=event["actor"],
        recorded_at=event["time"],
        sequence=event["sequence"],
    )
