"""Goal state, key results and the goal's history rows, folded from public event envelopes.
Pure: no I/O. Events at or below a goal's version are ignored, so redelivery changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from contracts.envelope import Envelope
from projections.views import column, evolved, evolved_by

PREFIX = "momentum.goal."


@dataclass(frozen=True)
class GoalView:
    """A row of `goals`: each field is a column, with its PostgreSQL type beside it."""

    id: str = column("uuid PRIMARY KEY")
    cycle_id: str | None = column("uuid")
    title: str = column("text NOT NULL")
    description: str = column("text NOT NULL")
    owner_kind: str = column("text NOT NULL")
    owner_id: str = column("text NOT NULL")
    parent_id: str | None = column("uuid")
    weight: float = column("double precision NOT NULL")
    rolls_up: bool = column("boolean NOT NULL")
    visibility: str = column("text NOT NULL")
    status: str = column("text NOT NULL")
    status_reason: str = column("text NOT NULL")
    progress: float = column("double precision NOT NULL")
    confidence: int | None = column("integer")
    check_in_count: int = column("integer NOT NULL")
    pending_change: dict[str, Any] | None = column("jsonb")
    created_at: str = column("timestamptz NOT NULL")
    updated_at: str = column("timestamptz NOT NULL")
    last_check_in_at: str | None = column("timestamptz")
    created_sequence: int = column("bigint NOT NULL UNIQUE")
    version: int = column("integer NOT NULL")
    last_sequence: int = column("bigint NOT NULL")
    check_in_cadence: str = field(default="weekly", metadata={"sql": "text NOT NULL"})  # weekly until set


@dataclass(frozen=True)
class KeyResultView:
    goal_id: str
    id: str
    position: int
    title: str
    kind: str
    start_value: float
    target: float
    unit: str
    weight: float
    current_value: float
    progress: float
    confidence: int | None
    check_in_count: int
    last_check_in_at: str | None
    metric_key: str | None = None  # the metric integrations feed it with (a later column: ALTER TABLE)


@dataclass(frozen=True)
class CheckInView:
    goal_id: str
    version: int
    key_result_id: str | None
    value: float | None
    progress: float
    confidence: int | None
    note: str
    blockers: str
    actor: str
    recorded_at: str
    sequence: int


@dataclass(frozen=True)
class RevisionView:
    goal_id: str
    version: int
    key_result_id: str
    previous_target: float
    target: float
    reason: str
    actor: str
    revised_at: str
    sequence: int


@dataclass(frozen=True)
class DialogueView:
    """One turn of the owner–manager dialogue or a lifecycle step, with its text."""

    goal_id: str
    version: int
    kind: str
    text: str
    changes: dict[str, Any] | None
    actor: str
    at: str
    sequence: int


@dataclass
class GoalState:
    goal: GoalView
    key_results: dict[str, KeyResultView] = field(default_factory=dict)


History = CheckInView | RevisionView | DialogueView


def _created(e: Envelope) -> GoalState:
    d = e["data"]
    return GoalState(
        GoalView(
            id=e["subject"],
            cycle_id=d["cycle_id"],
            title=d["title"],
            description=d["description"],
            owner_kind=d["owner_kind"],
            owner_id=d["owner_id"],
            parent_id=d["parent_id"],
            weight=float(d["weight"]),
            rolls_up=d["rolls_up"],
            visibility=d["visibility"],
            status=d["status"],
            status_reason="",
            progress=0.0,
            confidence=None,
            check_in_count=0,
            pending_change=None,
            created_at=e["time"],
            updated_at=e["time"],
            last_check_in_at=None,
            created_sequence=e["sequence"],
            version=e["aggregateversion"],
            last_sequence=e["sequence"],
        )
    )


Changes = dict[str, Any]  # goal fields an event sets; its key results it sets on the state itself


def _set(**names: str) -> Callable[[GoalState, Envelope], Changes]:
    """Copy event fields onto the goal: view attribute = data key."""

    def apply(state: GoalState, e: Envelope) -> Changes:
        return {attr: e["data"][key] for attr, key in names.items()}

    return apply


def _status(status: str, text_key: str) -> Callable[[GoalState, Envelope], Changes]:
    def apply(state: GoalState, e: Envelope) -> Changes:
        return {"status": status, "status_reason": e["data"][text_key], "pending_change": None}

    return apply


def _back_to_owner(state: GoalState, e: Envelope) -> Changes:
    status = "draft" if state.goal.status == "proposed" else state.goal.status
    return {"status": status, "pending_change": None}


def _approved(state: GoalState, e: Envelope) -> Changes:
    changes: Changes = {k: float(v) if k == "weight" else v for k, v in e["data"]["changes"].items()}
    return {**changes, "status": "active", "status_reason": e["data"]["comment"], "pending_change": None}


def _key_result_added(state: GoalState, e: Envelope) -> Changes:
    d = e["data"]
    state.key_results[d["key_result_id"]] = KeyResultView(
        goal_id=e["subject"],
        id=d["key_result_id"],
        position=len(state.key_results),
        title=d["title"],
        kind=d["kind"],
        start_value=float(d["start"]),
        target=float(d["target"]),
        unit=d["unit"],
        weight=float(d["weight"]),
        current_value=float(d["start"]),
        progress=float(d["progress"]),
        confidence=None,
        check_in_count=0,
        last_check_in_at=None,
    )
    return {}


def _target_revised(state: GoalState, e: Envelope) -> Changes:
    d = e["data"]
    result = state.key_results[d["key_result_id"]]
    state.key_results[result.id] = evolved(
        result, target=float(d["target"]), progress=float(d["progress"])
    )
    return {}


def _key_result_metric_linked(state: GoalState, e: Envelope) -> Changes:
    d = e["data"]
    result = state.key_results[d["key_result_id"]]
    state.key_results[result.id] = evolved(result, metric_key=d["metric_key"])
    return {}


def _key_result_checked_in(state: GoalState, e: Envelope) -> Changes:
    d = e["data"]
    result = state.key_results[d["key_result_id"]]
    state.key_results[result.id] = evolved(
        result,
        current_value=float(d["value"]),
        progress=float(d["progress"]),
        confidence=d["confidence"],
        check_in_count=result.check_in_count + 1,
        last_check_in_at=e["time"],
    )
    return _checked_in(state, e)


def _check_in_recorded(state: GoalState, e: Envelope) -> Changes:
    return {"progress": float(e["data"]["progress"]), **_checked_in(state, e)}


def _checked_in(state: GoalState, e: Envelope) -> Changes:
    return {
        "confidence": e["data"]["confidence"],
        "check_in_count": state.goal.check_in_count + 1,
        "last_check_in_at": e["time"],
    }


EVOLVERS: dict[str, Callable[[GoalState, Envelope], Changes]] = {
    "DetailsChanged": _set(
        title="title", description="description", visibility="visibility", rolls_up="rolls_up"
    ),
    "Aligned": _set(parent_id="parent_id", weight="weight"),
    "OwnerChanged": _set(owner_kind="owner_kind", owner_id="owner_id"),
    "MovedToCycle": _set(cycle_id="cycle_id", parent_id="parent_id"),
    "CadenceChanged": _set(check_in_cadence="cadence"),
    "Proposed": _status("proposed", "comment"),
    "ChangeProposed": _set(pending_change="changes"),
    "Approved": _approved,
    "Rejected": _back_to_owner,
    "ChangesRequested": _back_to_owner,
    "Completed": _status("completed", "reason"),
    "Abandoned": _status("abandoned", "reason"),
    "KeyResultAdded": _key_result_added,
    "TargetRevised": _target_revised,
    "KeyResultCheckedIn": _key_result_checked_in,
    "KeyResultMetricLinked": _key_result_metric_linked,
    "CheckInRecorded": _check_in_recorded,
}
DIALOGUE_TEXT = {
    "Proposed": "comment",
    "ChangeProposed": "comment",
    "Approved": "comment",
    "Rejected": "reason",
    "ChangesRequested": "comment",
    "Completed": "reason",
    "Abandoned": "reason",
}


def name_of(event: Envelope) -> str:
    """`momentum.goal.Approved.v1` → `Approved`."""
    return _name(str(event["type"]))


@lru_cache(maxsize=256)  # the folds ask several times per event; a topic carries a few dozen types
def _name(event_type: str) -> str:
    return event_type.split(".")[2]


def handles(event: Envelope) -> bool:
    """A goal event, upcast to its current version (v2) before any projection sees it."""
    return str(event["type"]).startswith(PREFIX)


def evolve(state: GoalState | None, event: Envelope) -> tuple[GoalState, list[History]]:
    """The goal after `event`, and the history rows the event adds."""
    after, _ = moved(state, event)
    return after, [] if after is state else history(event)


def moved(state: GoalState | None, event: Envelope) -> tuple[GoalState, Changes | None]:
    """The goal after `event` (`state` itself for an event it already holds), and the goal
    fields the event set besides the bookkeeping (None: every field, for a Created)."""
    name = name_of(event)
    if state is not None and event["aggregateversion"] <= state.goal.version:
        return state, {}
    if name == "Created":
        return _created(event), None
    assert state is not None, f"{event['type']} before Created for {event['subject']}"
    state = GoalState(state.goal, dict(state.key_results))
    changes = EVOLVERS[name](state, event)
    state.goal = evolved_by(state.goal, {
        **changes,
        "updated_at": event["time"], "version": event["aggregateversion"], "last_sequence": event["sequence"],
    })
    return state, changes


def history(e: Envelope) -> list[History]:
    """The history rows (check-in, target revision, dialogue turn) `e` adds."""
    name, d = name_of(e), e["data"]
    common = {
        "goal_id": e["subject"],
        "version": e["aggregateversion"],
        "actor": e["actor"] or "",
        "sequence": e["sequence"],
    }
    if name in ("CheckInRecorded", "KeyResultCheckedIn"):
        on_result = name == "KeyResultCheckedIn"  # a goal-level check-in has no key result or value
        return [
            CheckInView(
                **common,
                key_result_id=d["key_result_id"] if on_result else None,
                value=float(d["value"]) if on_result else None,
                progress=float(d["progress"]),
                confidence=d["confidence"],
                note=d["note"],
                blockers=d["blockers"],
                recorded_at=e["time"],
            )
        ]
    if name == "TargetRevised":
        return [
            RevisionView(
                **common,
                key_result_id=d["key_result_id"],
                previous_target=float(d["previous_target"]),
                target=float(d["target"]),
                reason=d["reason"],
                revised_at=e["time"],
            )
        ]
    if name in DIALOGUE_TEXT:
        changes = d.get("changes") or None
        return [
            DialogueView(
                **common, kind=name, text=d[DIALOGUE_TEXT[name]], changes=changes, at=e["time"]
            )
        ]
    return []
