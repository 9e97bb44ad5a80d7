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


class SealedText:
    """Which of the goal's text attributes an event sets: their copy in a snapshot is sealed
    under the same key as the event (`Goal.text_owners`)."""

    def texts(self) -> tuple[str, ...]:
        return ()

    def apply(self, aggregate: Any) -> None:
        for name in self.texts():
            aggregate.text_owners[name] = vars(self)["private_to"]


def _unknown_key_owner(state: dict[str, Any]) -> None:
    state["private_to"] = None  # v1 sealed nothing here: its text stays as stored, in clear


class Created(SealedText, Aggregate.Created):
    class_version = 2
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

    def texts(self) -> tuple[str, ...]:
        return ("title", "description")

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["private_to"] = private_to(state["owner_kind"], state["owner_id"], state["visibility"])


class DetailsChanged(SealedText, Aggregate.Event):
    class_version = 2
    title: str
    description: str
    visibility: str
    rolls_up: bool
    reason: str
    actor: str
    private_to: str | None
    upcast_v1_v2 = staticmethod(_unknown_key_owner)

    def texts(self) -> tuple[str, ...]:
        return ("title", "description")


class Aligned(SealedText, Aggregate.Event):
    class_version = 2
    parent_id: str | None
    weight: float
    reason: str
    actor: str
    private_to: str | None
    upcast_v1_v2 = staticmethod(_unknown_key_owner)


class OwnerChanged(SealedText, Aggregate.Event):
    class_version = 2
    owner_kind: str
    owner_id: str
    reason: str
    actor: str
    private_to: str | None
    upcast_v1_v2 = staticmethod(_unknown_key_owner)


class Proposed(SealedText, Aggregate.Event):
    class_version = 2
    comment: str
    actor: str
    private_to: str | None
    upcast_v1_v2 = staticmethod(_unknown_key_owner)


class ChangeProposed(SealedText, Aggregate.Event):
    class_version = 2
    changes: dict[str, Any]
    comment: str
    actor: str
    private_to: str | None
    upcast_v1_v2 = staticmethod(_unknown_key_owner)

    def texts(self) -> tuple[str, ...]:
        return ("pending_change",)


class Approved(SealedText, Aggregate.Event):
    class_version = 2
    changes: dict[str, Any]
    comment: str
    actor: str
    private_to: str | None
    upcast_v1_v2 = staticmethod(_unknown_key_owner)

    def texts(self) -> tuple[str, ...]:
        return tuple(name for name in ("title", "description") if name in self.changes)


class Rejected(SealedText, Aggregate.Event):
    class_version = 2
    reason: str
    actor: str
    private_to: str | None
    upcast_v1_v2 = staticmethod(_unknown_key_owner)


class ChangesRequested(SealedText, Aggregate.Event):
    class_version = 2
    comment: str
    actor: str
    private_to: str | None
    upcast_v1_v2 = staticmethod(_unknown_key_owner)


class Completed(SealedText, Aggregate.Event):
    class_version = 2
    reason: str
    actor: str
    private_to: str | None
    upcast_v1_v2 = staticmethod(_unknown_key_owner)


class Abandoned(SealedText, Aggregate.Event):
    class_version = 2
    reason: str
    actor: str
    private_to: str | None
    upcast_v1_v2 = staticmethod(_unknown_key_owner)


class KeyResultAdded(SealedText, Aggregate.Event):
    class_version = 2
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
    upcast_v1_v2 = staticmethod(_unknown_key_owner)


class TargetRevised(SealedText, Aggregate.Event):
    class_version = 2
    key_result_id: str
    previous_target: float
    target: float
    progress: float
    reason: str
    actor: str
    private_to: str | None
    upcast_v1_v2 = staticmethod(_unknown_key_owner)


class KeyResultCheckedIn(SealedText, Aggregate.Event):
    class_version = 2
    key_result_id: str
    value: float
    progress: float
    confidence: int | None
    note: str
    blockers: str
    actor: str
    private_to: str | None
    upcast_v1_v2 = staticmethod(_unknown_key_owner)


class CheckInRecorded(SealedText, Aggregate.Event):
    class_version = 2
    progress: float
    confidence: int | None
    note: str
    blockers: str
    actor: str
    private_to: str | None
    upcast_v1_v2 = staticmethod(_unknown_key_owner)
