"""The goal's events, version 2: each names in `private_to` the person whose data key seals its
text (the owner of a private goal), or None when its text is in clear. Version 1 did not name
it; a stored v1 event is read as v2 with `private_to` as v1 knew it (a private goal's
description in `Created`, nothing else). Which fields are text, and so sealed, is registered in
contracts/private_events.py."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate


def private_to(owner_kind: str, owner_id: str, *visibilities: object) -> str | None:
    """Whose key seals an event's text: a person's goal that is private before, after or as
    proposed by the event."""
    return owner_id if owner_kind == "person" and "private" in visibilities else None


def _unknown_key_owner(state: dict[str, Any]) -> None:
    state["private_to"] = None  # v1 sealed nothing here: its text stays as stored, in clear


class GoalEvent:
    """Every goal event is at version 2 (a v1 event is read with `private_to` None, unless it
    says otherwise), and says which of the goal's text attributes it sets: their copy in a
    snapshot is sealed under the same key as the event (`Goal.text_owners`)."""

    class_version = 2
    upcast_v1_v2 = staticmethod(_unknown_key_owner)

    def texts(self) -> tuple[str, ...]:
        return ()

    def apply(self, aggregate: Any) -> None:
        for name in self.texts():
            aggregate.text_owners[name] = vars(self)["private_to"]


class SetsTitleAndDescription(GoalEvent):
    def texts(self) -> tuple[str, ...]:
        return ("title", "description")


class ReasonGiven(GoalEvent, Aggregate.Event):
    """The fields of an event that states only its reason: a decision or an end of the goal."""

    reason: str
    actor: str
    private_to: str | None


class CommentGiven(GoalEvent, Aggregate.Event):
    """The fields of a step of the proposal dialogue that carries only a comment."""

    comment: str
    actor: str
    private_to: str | None


class ChangesCommented(GoalEvent, Aggregate.Event):
    """The fields of a proposed change, or of its approval (empty when a goal is activated)."""

    changes: dict[str, Any]
    comment: str
    actor: str
    private_to: str | None


class Created(SetsTitleAndDescription, Aggregate.Created):
    cycle_id: str | None
    title: str
    description: str
    owner_kind: str
    owner_id: str
    parent_id: str | None
    weight: float
    visibility: str
    rolls_up: bool
    status: str
    actor: str
    private_to: str | None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["private_to"] = private_to(state["owner_kind"], state["owner_id"], state["visibility"])


class DetailsChanged(SetsTitleAndDescription, Aggregate.Event):
    title: str
    description: str
    visibility: str
    rolls_up: bool
    reason: str
    actor: str
    private_to: str | None


class Aligned(GoalEvent, Aggregate.Event):
    parent_id: str | None
    weight: float
    reason: str
    actor: str
    private_to: str | None


class OwnerChanged(GoalEvent, Aggregate.Event):
    owner_kind: str
    owner_id: str
    reason: str
    actor: str
    private_to: str | None


class MovedToCycle(GoalEvent, Aggregate.Event):
    """The goal now belongs to `cycle_id`; it leaves its parent (`parent_id` is None), which
    belongs to the cycle it left."""

    cycle_id: str
    previous_cycle_id: str | None
    parent_id: str | None
    reason: str
    actor: str
    private_to: str | None


class CadenceChanged(GoalEvent, Aggregate.Event):
    """How often the goal expects a check-in: weekly, biweekly or monthly (weekly until set)."""

    cadence: str
    actor: str
    private_to: str | None


class Proposed(CommentGiven):
    pass


class ChangeProposed(ChangesCommented):
    def texts(self) -> tuple[str, ...]:
        return ("pending_change",)


class Approved(ChangesCommented):
    def texts(self) -> tuple[str, ...]:
        return tuple(name for name in ("title", "description") if name in self.changes)


class Rejected(ReasonGiven):
    pass


class ChangesRequested(CommentGiven):
    pass


class Completed(ReasonGiven):
    pass


class Abandoned(ReasonGiven):
    pass


class KeyResultAdded(GoalEvent, Aggregate.Event):
    key_result_id: str
    title: str
    kind: str
    start: float
    target: float
    unit: str
    weight: float
    progress: float
    actor: str
    private_to: str | None


class TargetRevised(GoalEvent, Aggregate.Event):
    key_result_id: str
    previous_target: float
    target: float
    progress: float
    reason: str
    actor: str
    private_to: str | None


class CheckIn(GoalEvent, Aggregate.Event):
    """The fields of a check-in, on the goal itself or (after `KeyResultReading`) on a key result."""

    progress: float
    confidence: int | None
    note: str
    blockers: str
    actor: str
    private_to: str | None


class KeyResultReading(GoalEvent, Aggregate.Event):
    """The key result a check-in is on and the value read on it: the first fields of
    `KeyResultCheckedIn` (a dataclass takes its bases' fields from the last base to the first,
    so listing this base last keeps the event's field order)."""

    key_result_id: str
    value: float


class KeyResultCheckedIn(CheckIn, KeyResultReading):
    pass


class CheckInRecorded(CheckIn):
    pass


class KeyResultMetricLinked(GoalEvent, Aggregate.Event):
    """A key result linked to the metric an integration measures (`metric_key`), or unlinked
    (None). New in version 1: no v1 goal event was ever stored of this type."""

    class_version = 1
    key_result_id: str
    metric_key: str | None
    actor: str
    private_to: str | None
