"""A cycle: the period goals belong to. A closed cycle's goals accept no changes."""

from __future__ import annotations

from datetime import date

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError, ValidationError
from domain.rules import TEXT_MAX, TITLE_MAX, clean_text


def _day(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be a date (YYYY-MM-DD)", field=field)
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ValidationError(f"{field} must be a date (YYYY-MM-DD)", field=field) from None


class Cycle(Aggregate):
    """A period goals belong to (dates are ISO days); closed, its goals accept no changes."""

    @classmethod
    def create(cls, *, name: str, starts_on: str, ends_on: str, actor: str) -> Cycle:
        start, end = _day(starts_on, "startsOn"), _day(ends_on, "endsOn")
        if end < start:
            raise ValidationError("a cycle must not end before it starts", field="endsOn")
        return cls(
            name=clean_text(name, "name", required=True, max_length=TITLE_MAX),
            starts_on=start,
            ends_on=end,
            actor=actor,
        )

    @event("Created")
    def __init__(self, *, name: str, starts_on: str, ends_on: str, actor: str) -> None:
        self.name = name
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.closed = False

    def require_open(self) -> None:
        if self.closed:
            raise ConflictError(f"cycle {self.name!r} is closed; its goals accept no changes")

    def close(self, *, reason: str, actor: str) -> None:
        self.require_open()
        self._closed(
            reason=clean_text(reason, "reason", required=False, max_length=TEXT_MAX), actor=actor
        )

    @event("Closed")
    def _closed(self, *, reason: str, actor: str) -> None:
        self.closed = True

    def reopen(self, *, reason: str, actor: str) -> None:
        if not self.closed:
            raise ConflictError(f"cycle {self.name!r} is open")
        self._reopened(
            reason=clean_text(reason, "reason", required=True, max_length=TEXT_MAX), actor=actor
        )

    @event("Reopened")
    def _reopened(self, *, reason: str, actor: str) -> None:
        self.closed = False
