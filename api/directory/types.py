"""GraphQL object types of the directory (people, teams) and of cycles."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from api import descriptions as d
from api.context import Context
from api.gamification.types import PersonStanding
from api.loaders import loaders
from api.resolvers import Row


def _fields(row: Row) -> Row:
    """A directory or cycle row without the read model's bookkeeping columns."""
    return {k: v for k, v in row.items() if k not in ("aggregate_id", "last_sequence")}


def person_field(id_field: str, description: str) -> Any:
    """A field: the person whose id the object holds in `id_field` (null for none or unknown)."""

    async def resolve(self: Any, info: Info[Context, None]) -> Person | None:
        return await person(info, getattr(self, id_field))

    return strawberry.field(resolver=resolve, description=description)


def team_field(id_field: str, description: str) -> Any:
    """A field: the team whose id the object holds in `id_field` (null for none or unknown)."""

    async def resolve(self: Any, info: Info[Context, None]) -> Team | None:
        return await team(info, getattr(self, id_field))

    return strawberry.field(resolver=resolve, description=description)


def people_field(column: str, description: str) -> Any:
    """A field: the people whose `column` is the object's id."""

    async def resolve(self: Any, info: Info[Context, None]) -> list[Person]:
        return [Person.of(r) for r in await loaders(info.context).people_where[column].load(str(self.id))]

    return strawberry.field(resolver=resolve, description=description)


@strawberry.type(
    description="A person of the directory, with their gamification standing (visible to every signed-in person)."
)
class Person(PersonStanding):
    id: strawberry.ID = strawberry.field(description=d.PERSON_ID)
    name: str = strawberry.field(description="Full name, as the directory has it.")
    email: str = strawberry.field(description="Work e-mail address, as the directory has it.")
    manager_id: strawberry.ID | None = strawberry.field(description="Their manager's person id; null for none.")
    team_id: strawberry.ID | None = strawberry.field(description="Their team's id; null for none.")
    active: bool = strawberry.field(description=d.ACTIVE)
    version: int = strawberry.field(description=d.VERSION)

    manager = person_field("manager_id", "Their manager; null for none, or if the manager is not in the directory.")
    team = team_field("team_id", "Their team; null for none, or if the team is not in the directory.")
    reports = people_field("manager_id", "The people whose manager this person is, by id.")

    @classmethod
    def of(cls, row: Row) -> Person:
        return cls(**_fields(row))


@strawberry.type(description="A team of the directory; it owns goals and acts through its lead.")
class Team:
    id: strawberry.ID = strawberry.field(description=d.TEAM_ID)
    name: str = strawberry.field(description="The team's name.")
    lead_id: strawberry.ID | None = strawberry.field(description="The lead's person id; null while the team has none.")
    active: bool = strawberry.field(description=d.ACTIVE)
    version: int = strawberry.field(description=d.VERSION)

    lead = person_field("lead_id", "The lead, who acts for the team's goals; null for none.")
    members = people_field("team_id", "The people whose team this is, by id.")

    @classmethod
    def of(cls, row: Row) -> Team:
        return cls(**_fields(row))


async def person(info: Info[Context, None], person_id: str | None) -> Person | None:
    row = None if person_id is None else await loaders(info.context).people.load(str(person_id))
    return None if row is None else Person.of(row)


async def team(info: Info[Context, None], team_id: str | None) -> Team | None:
    row = None if team_id is None else await loaders(info.context).teams.load(str(team_id))
    return None if row is None else Team.of(row)


@strawberry.type(
    description="A period (e.g. a quarter) that goals belong to; a closed cycle's goals accept no command."
)
class Cycle:
    id: strawberry.ID = strawberry.field(description=d.CYCLE_ID)
    name: str = strawberry.field(description="The cycle's name, e.g. `2027 Q1`.")
    starts_on: date = strawberry.field(description="First day of the cycle. " + d.DATE)
    ends_on: date = strawberry.field(description="Last day of the cycle. " + d.DATE)
    timezone: str = strawberry.field(description="IANA time zone of the cycle's dates (UTC before v2).")
    closed: bool = strawberry.field(description="True after closeCycle, until reopenCycle.")
    status_reason: str = strawberry.field(
        description="The reason given when it was last closed or reopened; may be empty."
    )
    version: int = strawberry.field(description=d.VERSION)

    @classmethod
    def of(cls, row: Row) -> Cycle:
        return cls(id=strawberry.ID(str(row["aggregate_id"])), **_fields(row))


@strawberry.type(description="The caller: who the token says they are.")
class Me:
    id: strawberry.ID = strawberry.field(description="The token's `sub`: the caller's person id.")
    roles: list[str] = strawberry.field(
        description="The token's `roles`, sorted; `admin` is the only one with a meaning today."
    )

    @strawberry.field(description="This person in the directory, if registered.")
    async def person(self, info: Info[Context, None]) -> Person | None:
        return await person(info, self.id)
