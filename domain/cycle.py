"""A cycle: the period goals belong to. A closed cycle's goals accept no changes."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError, ValidationError
from domain.rules import free_text, name_text


def _day(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be a date (YYYY-MM-DD)", field=field)
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ValidationError(f"{field} must be a date (YYYY-MM-DD)", field=field) from None


TIMEZONE = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}$")


def _timezone(value: object) -> str:
    if not isinstance(value, str) or len(value) > 64 or not TIMEZONE.match(value):
        raise ValidationError("timezone must be an IANA name such as Europe/Paris", field="timezone")
    return value


class Cycle(Aggregate):
    """A period goals belong to (dates are ISO days in the cycle's IANA `timezone`); closed,
    its goals accept no changes."""

    class Created(Aggregate.Created):
        """v2 added `timezone`; a v1 event is read as v2 with "UTC", the only zone v1 knew."""

        class_version = 2
        name: str
        starts_on: str
        ends_on: str
        timezone: str
        actor: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["timezone"] = "UTC"

    @classmethod
    def create(cls, *, name: str, starts_on: str, ends_on: str, actor: str, timezone: str = "UTC") -> Cycle:
        start, end = _day(starts_on, "startsOn"), _day(ends_on, "endsOn")
        if end < start:
            raise ValidationError("a cycle must not end before it starts", field="endsOn")
        return cls(
            name=name_text(name, "name"),
            starts_on=start,
            ends_on=end,
            timezone=_timezone(timezone),
            actor=actor,
        )

    @event(Created)
    def __init__(self, *, name: str, starts_on: str, ends_on: str, timezone: str, actor: str) -> None:
        self.name = name
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.timezone = timezone
        self.closed = False

    def require_open(self) -> None:
        if self.closed:
            raise ConflictError(f"cycle {self.name!r} is closed; its goals accept no changes")

    def close(self, *, reason: str, actor: str) -> None:
        self.require_open()
        self._closed(reason=free_text(reason, "reason"), actor=actor)

    @event("Closed")
    def _closed(self, *, reason: str, actor: str) -> None:
        self.closed = True

    def reopen(self, *, reason: str, actor: str) -> None:
        if not self.closed:
            raise ConflictError(f"cycle {self.name!r} is open")
        self._reopened(reason=free_text(reason, "reason", required=True), actor=actor)

    @event("Reopened")
    def _reopened(self, *, reason: str, actor: str) -> None:
        self.closed = False
