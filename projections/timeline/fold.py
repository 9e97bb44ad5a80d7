"""Goal timelines: one entry per goal event, with who, when, what, the reason and the change
(before → after for every field that changed). Pure: folds with the goal read model's own
evolve, so the timeline and the goal state can never disagree."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from contracts.envelope import Envelope
from projections.goals import fold as goals
from projections.goals.fold import Changes, GoalState, GoalView, KeyResultView
from projections.sql import Row, plain
from projections.views import as_dict, columns

BOOKKEEPING = frozenset({"id", "updated_at", "version", "last_sequence", "created_sequence", "created_at"})
KEY_RESULT_BOOKKEEPING = frozenset({"goal_id", "id", "position"})
REASON_FIELDS = ("reason", "comment", "note")
RESULT_PREFIX = "keyResults."


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


def changes(before: GoalState | None, after: GoalState, fields: Changes | None = None) -> list[dict[str, Any]]:
    """Every field a person can see change (`keyResults.<id>.<field>` for a key result's) whose
    value differs, sorted by field. Only the goal's `fields` are compared when given (what the
    event set: the fold copies every other field as it was), and a key result the fold left as
    it was (the same object) is not compared field by field."""
    new = after.goal.__dict__ if fields is None else {name: after.goal.__dict__[name] for name in fields}
    found = _differences("", before.goal.__dict__ if before else {}, new, BOOKKEEPING)
    old_results = before.key_results if before else {}
    for result_id, result in after.key_results.items():
        old = old_results.get(result_id)
        if old is not result:
            found += _differences(f"keyResults.{result_id}.", old.__dict__ if old else {}, result.__dict__,
                                  KEY_RESULT_BOOKKEEPING)
    found.sort(key=lambda change: change["field"])
    return found


def _differences(prefix: str, old: dict[str, Any], new: dict[str, Any], skip: frozenset[str]) -> list[dict[str, Any]]:
    return [{"field": prefix + name, "before": old.get(name), "after": value}
            for name, value in new.items() if name not in skip and old.get(name) != value]


def state_to_json(state: GoalState) -> dict[str, Any]:
    return {"goal": as_dict(state.goal), "key_results": [as_dict(r) for r in state.key_results.values()]}


def state_from_json(data: dict[str, Any]) -> GoalState:
    results = [KeyResultView(**r) for r in data["key_results"]]
    return GoalState(GoalView(**data["goal"]), {r.id: r for r in results})


def replayed_states(goal_id: str, rows: Iterable[Row]) -> Iterator[dict[str, Any]]:
    """`state_to_json` of the goal after each of its timeline rows (version, at, sequence,
    changes; in version order), replayed from the changes: every field a person can see starts
    as None and takes each change's `after`; the bookkeeping comes from the rows themselves."""
    goal: dict[str, Any] = dict.fromkeys(columns(GoalView))
    results: dict[str, dict[str, Any]] = {}
    for row in rows:
        at = plain(row["at"])
        if goal["created_at"] is None:
            goal.update(id=goal_id, created_at=at, created_sequence=row["sequence"])
        goal.update(updated_at=at, version=row["version"], last_sequence=row["sequence"])
        for change in row["changes"]:
            field, after = change["field"], change["after"]
            if field.startswith(RESULT_PREFIX):
                result_id, _, name = field[len(RESULT_PREFIX):].rpartition(".")
                if result_id not in results:
                    results[result_id] = {**dict.fromkeys(columns(KeyResultView)), "goal_id": goal_id,
                                          "id": result_id, "position": len(results)}
                results[result_id][name] = after
            else:
                goal[field] = after
        yield {"goal": dict(goal), "key_results": [dict(r) for r in results.values()]}


def reason_of(event: Envelope) -> str:
    data = event["data"]
    return next((str(data[k]) for k in REASON_FIELDS if data.get(k)), "")


def entry(before: GoalState | None, event: Envelope) -> tuple[GoalState, TimelineEntry | None]:
    """The goal after `event`, and its timeline entry (None for a redelivered event)."""
    after, fields = goals.moved(before, event)
    if after is before:
        return after, None
    return after, entry_of(before, after, fields, event)


def entry_of(before: GoalState | None, after: GoalState, fields: Changes | None, event: Envelope) -> TimelineEntry:
    """The timeline entry of `event`, which moved the goal from `before` to `after` setting
    `fields` (goals.moved)."""
    return TimelineEntry(
        goal_id=event["subject"],
        version=event["aggregateversion"],
        sequence=event["sequence"],
        at=event["time"],
        actor=event["actor"] or "",
        event_type=event["type"],
        event=goals.name_of(event),
        reason=reason_of(event),
        changes=changes(before, after, fields),
        owner_kind=after.goal.owner_kind,
        owner_id=after.goal.owner_id,
        cycle_id=after.goal.cycle_id,
    )
