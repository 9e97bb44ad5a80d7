"""GraphQL inputs of the directory and cycle mutations."""

from __future__ import annotations

from datetime import date

import strawberry

from api import descriptions as d


@strawberry.input(description="A person's directory entry: registers a new person, or replaces an existing one's.")
class RegisterPersonInput:
    person_id: strawberry.ID = strawberry.field(description=d.PERSON_ID)
    name: str = strawberry.field(description="Full name. " + d.TITLE)
    email: str = strawberry.field(description="Work e-mail address.")
    manager_id: strawberry.ID | None = strawberry.field(
        default=None, description="Their manager's person id; null for none."
    )
    team_id: strawberry.ID | None = strawberry.field(default=None, description="Their team's id; null for none.")


def deactivation_input(noun: str, id_description: str) -> type:
    """The input of deactivate<Noun>: the directory entry's id (`<noun>_id`) and why."""
    id_field = f"{noun}_id"
    fields = {
        "__annotations__": {id_field: strawberry.ID, "reason": str},
        id_field: strawberry.field(description=id_description),
        "reason": strawberry.field(default="", description=d.REASON),
    }
    return strawberry.input(type(f"Deactivate{noun.title()}Input", (), fields), description=f"A {noun} to deactivate.")


DeactivatePersonInput = deactivation_input("person", d.PERSON_ID)


@strawberry.input(description="A team's directory entry: registers a new team, or replaces an existing one's.")
class RegisterTeamInput:
    team_id: strawberry.ID = strawberry.field(description="The team's id, chosen by the directory (e.g. `core`).")
    name: str = strawberry.field(description="The team's name. " + d.TITLE)
    lead_id: strawberry.ID | None = strawberry.field(default=None, description="The lead's person id; null for none.")


DeactivateTeamInput = deactivation_input("team", d.TEAM_ID)


@strawberry.input(description="A new cycle.")
class CreateCycleInput:
    name: str = strawberry.field(description="Its name, e.g. `2027 Q1`. " + d.TITLE)
    starts_on: date = strawberry.field(description="Its first day. " + d.DATE)
    ends_on: date = strawberry.field(description="Its last day, not before startsOn. " + d.DATE)
    timezone: str = strawberry.field(default="UTC", description="IANA time zone, e.g. Europe/Paris.")


@strawberry.input(description="A cycle to close or reopen, and why.")
class CycleReasonInput:
    cycle_id: strawberry.ID = strawberry.field(description=d.CYCLE_ID)
    reason: str = strawberry.field(default="", description=d.REASON + " Required to reopen.")
