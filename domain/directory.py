"""The org directory: people and teams, keyed by the ids of the HR system they come from."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError, ValidationError
from domain.ids import person_uuid, team_uuid
from domain.rules import free_text, identifier, name_text

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _optional_id(value: object, field: str) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return identifier(value, field)


def _email(value: object) -> str:
    email = name_text(value, "email")
    if not EMAIL.match(email):
        raise ValidationError(f"{email!r} is not an email address", field="email")
    return email.lower()


class Deactivation:
    """What a person, a team and a service account share: deactivated once, never deleted (they
    stay for history). Each records its own `Deactivated` event with `_deactivated`."""

    active: bool
    _deactivated: Callable[..., None]

    def entry(self) -> str:
        raise NotImplementedError

    def deactivate(self, *, reason: str, actor: str) -> None:
        if not self.active:
            raise ConflictError(f"{self.entry()} is already deactivated")
        self._deactivated(reason=free_text(reason, "reason"), actor=actor)


class Person(Deactivation, Aggregate):
    """A person of the org directory; the aggregate id is derived from the person id, which
    is also the `sub` of their tokens. `manager_id` and `team_id` are directory ids."""

    @staticmethod
    def create_id(person_id: str) -> UUID:
        return person_uuid(person_id)

    @classmethod
    def register(
        cls,
        *,
        person_id: str,
        name: str,
        email: str,
        actor: str,
        manager_id: str | None = None,
        team_id: str | None = None,
    ) -> Person:
        person_id = identifier(person_id, "personId")
        manager = _optional_id(manager_id, "managerId")
        if manager == person_id:
            raise ValidationError("a person cannot manage themselves", field="managerId")
        return cls(
            person_id=person_id,
            name=name_text(name, "name"),
            email=_email(email),
            manager_id=manager,
            team_id=_optional_id(team_id, "teamId"),
            actor=actor,
        )

    @event("Registered")
    def __init__(
        self,
        *,
        person_id: str,
        name: str,
        email: str,
        manager_id: str | None,
        team_id: str | None,
        actor: str,
    ) -> None:
        self.person_id = person_id
        self.name = name
        self.email = email
        self.manager_id = manager_id
        self.team_id = team_id
        self.active = True

    def details(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "email": self.email,
            "manager_id": self.manager_id,
            "team_id": self.team_id,
        }

    def update(
        self, *, name: str, email: str, manager_id: str | None, team_id: str | None, actor: str
    ) -> None:
        changed: dict[str, Any] = {
            "name": name_text(name, "name"),
            "email": _email(email),
            "manager_id": _optional_id(manager_id, "managerId"),
            "team_id": _optional_id(team_id, "teamId"),
        }
        if changed["manager_id"] == self.person_id:
            raise ValidationError("a person cannot manage themselves", field="managerId")
        if changed != self.details():
            self._updated(**changed, actor=actor)

    @event("Updated")
    def _updated(
        self, *, name: str, email: str, manager_id: str | None, team_id: str | None, actor: str
    ) -> None:
        self.name, self.email, self.manager_id, self.team_id = name, email, manager_id, team_id

    def entry(self) -> str:
        return f"person {self.person_id}"

    @event("Deactivated")
    def _deactivated(self, *, reason: str, actor: str) -> None:
        self.active = False


class Team(Deactivation, Aggregate):
    """A team of the org directory; its lead acts for the team's goals, and the lead's
    manager decides on them."""

    @staticmethod
    def create_id(team_id: str) -> UUID:
        return team_uuid(team_id)

    @classmethod
    def register(cls, *, team_id: str, name: str, actor: str, lead_id: str | None = None) -> Team:
        return cls(
            team_id=identifier(team_id, "teamId"),
            name=name_text(name, "name"),
            lead_id=_optional_id(lead_id, "leadId"),
            actor=actor,
        )

    @event("Registered")
    def __init__(self, *, team_id: str, name: str, lead_id: str | None, actor: str) -> None:
        self.team_id = team_id
        self.name = name
        self.lead_id = lead_id
        self.active = True

    def update(self, *, name: str, lead_id: str | None, actor: str) -> None:
        new_name = name_text(name, "name")
        new_lead = _optional_id(lead_id, "leadId")
        if (new_name, new_lead) != (self.name, self.lead_id):
            self._updated(name=new_name, lead_id=new_lead, actor=actor)

    @event("Updated")
    def _updated(self, *, name: str, lead_id: str | None, actor: str) -> None:
        self.name, self.lead_id = name, lead_id

    def entry(self) -> str:
        return f"team {self.team_id}"

    @event("Deactivated")
    def _deactivated(self, *, reason: str, actor: str) -> None:
        self.active = False
