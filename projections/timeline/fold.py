"""Goal timelines: one entry per goal event, with who, when, what, the reason and the change
(before → after for every field that changed). Pure: folds with the goal read model's own
evolve, so the timeline and the goal state can never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contracts.envelope import Envelope
from projections.goals import fold as goals
from projections.goals.fold import GoalState, GoalView, KeyResultView
from projections.views import as_dict

BOOKKEEPING = frozenset({"id", "updated_at", "version", "last_sequence", "created_sequence", "created_at"})
KEY_RESULT_BOOKKEEPING = frozenset({"goal_id", "id", "position"})
REASON_FIELDS = ("reason", "comment", "note")


@dataclass(frozen=True)
class TimelineEntry:
    goal_id: str
    version: int
    sequence: int
    at: str
    actor: str
    event_type: str
    event: str
    reason: str
    changes: list[dict[str, Any]]
    owner_kind: str
    owner_id: str
    cycle_id: str | None
    state: dict[str, Any]


def flatten(state: GoalState | None) -> dict[str, Any]:
    """Every field a person can see change, keyed by name (`keyResults.<id>.<field>`)."""
    if state is None:
        return {}
    fields = {k: v for k, v in as_dict(state.goal).items() if k not in BOOKKEEPING}
    for result in state.key_results.values():
        for name, value in as_dict(result).items():
            if name not in KEY_RESULT_BOOKKEEPING:
                fields[f"keyResults.{result.id}.{name}"] = value
    return fields


def changes(before: GoalState | None, after: GoalState) -> list[dict[str, Any]]:
    old, new = flatten(before), flatten(after)
    return [
        {"field": name, "before": old.get(name), "after": new.get(name)}
        for name in sorted(old.keys() | new.keys())
        if old.get(name) != new.get(name)
    ]


def state_to_json(state: GoalState) -> dict[str, Any]:
    return {"goal": as_dict(state.goal), "key_results": [as_dict(r) for r in state.key_results.values()]}


def state_from_json(data: dict[str, Any]) -> GoalState:
    results = [KeyResultView(**r) for r in data["key_results"]]
    return GoalState(GoalView(**data["goal"]), {r.id: r for r in results})


def reason_of(event: Envelope) -> str:
    data = event["data"]
    return next((str(data[k]) for k in REASON_FIELDS if data.get(k)), "")


def entry(before: GoalState | None, event: Envelope) -> tuple[GoalState, TimelineEntry | None]:
    """The goal after `event`, and its timeline entry (None for a redelivered event)."""
    after, _ = goals.evolve(before, event)
    if after is before:
        return after, None
    return after, TimelineEntry(
        goal_id=event["subject"],
        version=event["aggregateversion"],
        sequence=event["sequence"],
        at=event["time"],
        actor=event["actor"] or "",
        event_type=event["type"],
        event=goals.name_of(event),
        reason=reason_of(event),
        changes=changes(before, after),
        owner_kind=after.goal.owner_kind,
        owner_id=after.goal.owner_id,
        cycle_id=after.goal.cycle_id,
        state=state_to_json(after),
    )
