"""Org-directory commands: people and teams, admin only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from application.access import require_admin
from application.identity import Actor
from application.store import EventStore, Stored
from domain.directory import Person, Team
from domain.errors import ConflictError, NotFoundError, ValidationError
from domain.ids import person_uuid, team_uuid
from domain.integrations import ServiceAccount, service_account_uuid

MAX_MANAGER_CHAIN = 1000
Entry = TypeVar("Entry", Person, Team)


@dataclass(frozen=True)
class DirectoryCommands:
    app: EventStore

    def find_person(self, person_id: str) -> Person | None:
        return self.app.find(Person, person_uuid(person_id))

    def find_team(self, team_id: str) -> Team | None:
        return self.app.find(Team, team_uuid(team_id))

    def get_person(self, person_id: str) -> Person:
        person = self.find_person(person_id)
        if person is None:
            raise NotFoundError(f"person {person_id!r} does not exist", field="personId")
        return person

    def get_team(self, team_id: str) -> Team:
        team = self.find_team(team_id)
        if team is None:
            raise NotFoundError(f"team {team_id!r} does not exist", field="teamId")
        return team

    def register_person(
        self, actor: Actor, *, person_id: str, name: str, email: str, manager_id: str | None = None,
        team_id: str | None = None,
    ) -> Stored:
        require_admin(actor)
        person = Person.register(
            person_id=person_id, name=name, email=email, manager_id=manager_id, team_id=team_id, actor=actor.id
        )
        taken = self.app.find(ServiceAccount, service_account_uuid(person.person_id)) is not None
        if taken or self.find_person(person.person_id) is not None:
            raise ConflictError(
                f"person {person.person_id!r} is already registered", field="personId"
            )
        self._check_references(person.person_id, person.manager_id, person.team_id)
        return self.app.create(person)

    def update_person(
        self, actor: Actor, person_id: str, *, name: str, email: str, manager_id: str | None = None,
        team_id: str | None = None,
    ) -> Stored:
        require_admin(actor)

        def change(person: Person) -> None:
            person.update(
                name=name, email=email, manager_id=manager_id, team_id=team_id, actor=actor.id
            )
            self._check_references(person.person_id, person.manager_id, person.team_id)

        return self._update_entry(Person, person_id, change)

    def deactivate_person(self, actor: Actor, person_id: str, reason: str = "") -> Stored:
        require_admin(actor)
        return self._update_entry(Person, person_id, lambda p: p.deactivate(reason=reason, actor=actor.id))

    def register_team(
        self, actor: Actor, *, team_id: str, name: str, lead_id: str | None = None
    ) -> Stored:
        require_admin(actor)
        team = Team.register(team_id=team_id, name=name, lead_id=lead_id, actor=actor.id)
        if self.find_team(team.team_id) is not None:
            raise ConflictError(f"team {team.team_id!r} is already registered", field="teamId")
        self._require_active_person(team.lead_id, "leadId")
        return self.app.create(team)

    def update_team(
        self, actor: Actor, team_id: str, *, name: str, lead_id: str | None = None
    ) -> Stored:
        require_admin(actor)

        def change(team: Team) -> None:
            team.update(name=name, lead_id=lead_id, actor=actor.id)
            self._require_active_person(team.lead_id, "leadId")

        return self._update_entry(Team, team_id, change)

    def deactivate_team(self, actor: Actor, team_id: str, reason: str = "") -> Stored:
        require_admin(actor)
        return self._update_entry(Team, team_id, lambda t: t.deactivate(reason=reason, actor=actor.id))

    def _update_entry(self, kind: type[Entry], entry_id: str, change: Callable[[Entry], None]) -> Stored:
        """A person or team by directory id, not found as get_person/get_team say (changes raise no NotFound)."""
        try:
            return self.app.update(kind, kind.create_id(entry_id), change)
        except NotFoundError:
            noun = kind.__name__.lower()
            raise NotFoundError(f"{noun} {entry_id!r} does not exist", field=f"{noun}Id") from None

    def active_person(self, person_id: str, field: str) -> Person:
        person = self.find_person(person_id) if isinstance(person_id, str) else None
        if person is None or not person.active:
            raise ValidationError(f"{field}: {person_id!r} is not an active person", field=field)
        return person

    def _require_active_person(self, person_id: str | None, field: str) -> Person | None:
        if person_id is None:
            return None
        person = self.find_person(person_id)
        if person is None or not person.active:
            raise ValidationError(f"{field} {person_id!r} is not an active person", field=field)
        return person

    def _check_references(
        self, person_id: str, manager_id: str | None, team_id: str | None
    ) -> None:
        manager = self._require_active_person(manager_id, "managerId")
        if team_id is not None:
            team = self.find_team(team_id)
            if team is None or not team.active:
                raise ValidationError(f"teamId {team_id!r} is not an active team", field="teamId")
        seen = {person_id}
        for _ in range(MAX_MANAGER_CHAIN):
            if manager is None:
                return
            if manager.person_id in seen:
                raise ValidationError(
                    "the manager chain would loop back to this person", field="managerId"
                )
            seen.add(manager.person_id)
            manager = None if manager.manager_id is None else self.find_person(manager.manager_id)
