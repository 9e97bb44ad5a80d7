"""The Goal aggregate: an objective with an owner, progress and check-in history."""

from __future__ import annotations

from eventsourcing.domain import Aggregate, event

from domain.errors import ValidationError
from domain.rules import (
    TEXT_MAX,
    TITLE_MAX,
    clean_text,
    identifier,
    number_between,
    whole_number_between,
)

OWNER_KINDS = ("person", "team")
VISIBILITIES = ("public", "team", "private")
STATUSES = ("draft", "proposed", "active", "completed", "abandoned")


class Goal(Aggregate):
    """Invariants are checked in the public command methods, before an event exists;
    the @event methods only apply facts, so replaying history never re-validates it."""

    @classmethod
    def create(
        cls,
        *,
        title: str,
        owner_id: str,
        actor: str,
        description: str = "",
        owner_kind: str = "person",
        visibility: str = "public",
    ) -> Goal:
        if owner_kind not in OWNER_KINDS:
            raise ValidationError(f"ownerKind must be one of {OWNER_KINDS}", field="ownerKind")
        if visibility not in VISIBILITIES:
            raise ValidationError(f"visibility must be one of {VISIBILITIES}", field="visibility")
        return cls(
            title=clean_text(title, "title", required=True, max_length=TITLE_MAX),
            description=clean_text(description, "description", required=False, max_length=TEXT_MAX),
            owner_id=identifier(owner_id, "ownerId"),
            owner_kind=owner_kind,
            visibility=visibility,
            status="active",
            actor=identifier(actor, "actor"),
        )

    @event("Created")
    def __init__(
        self,
        *,
        title: str,
        description: str,
        owner_id: str,
        owner_kind: str,
        visibility: str,
        status: str,
        actor: str,
    ) -> None:
        self.title = title
        self.description = description
        self.owner_id = owner_id
        self.owner_kind = owner_kind
        self.visibility = visibility
        self.status = status
        self.progress = 0.0
        self.confidence: int | None = None
        self.check_in_count = 0

    def change_title(self, title: str, *, actor: str, reason: str = "") -> None:
        new_title = clean_text(title, "title", required=True, max_length=TITLE_MAX)
        if new_title == self.title:
            return
        self._title_changed(
            title=new_title,
            reason=clean_text(reason, "reason", required=False, max_length=TEXT_MAX),
            actor=actor,
        )

    @event("TitleChanged")
    def _title_changed(self, *, title: str, reason: str, actor: str) -> None:
        self.title = title

    def record_check_in(
        self,
        *,
        progress: float,
        actor: str,
        confidence: int | None = None,
        note: str = "",
        blockers: str = "",
    ) -> None:
        self._check_in_recorded(
            progress=number_between(progress, "progress", 0, 100),
            confidence=None
            if confidence is None
            else whole_number_between(confidence, "confidence", 0, 10),
            note=clean_text(note, "note", required=False, max_length=TEXT_MAX),
            blockers=clean_text(blockers, "blockers", required=False, max_length=TEXT_MAX),
            actor=actor,
        )

    @event("CheckInRecorded")
    def _check_in_recorded(
        self,
        *,
        progress: float,
        confidence: int | None,
        note: str,
        blockers: str,
        actor: str,
    ) -> None:
        self.progress = progress
        self.confidence = confidence
        self.check_in_count += 1
