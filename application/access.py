"""Who may see and do what to a goal. Pure rules over facts the application reads from the write model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from application.identity import Actor
from domain.errors import ForbiddenError
from shared.visibility import GoalAudience, Onlooker, may_see_goal


class Owner(Protocol):
    """What the rules below read of a goal's owner (OwnerFacts, or facts read on demand)."""

    @property
    def kind(self) -> str: ...

    @property
    def id(self) -> str: ...

    @property
    def acting_person(self) -> str | None: ...

    @property
    def manager_id(self) -> str | None: ...

    @property
    def team_id(self) -> str | None: ...


@dataclass(frozen=True)
class OwnerFacts:
    """A goal's owner as the directory knows it. A team acts through its lead, and the
    manager of a team is its lead's manager; `team_id` is a person's team or the team itself."""

    kind: str
    id: str
    lead_id: str | None = None
    manager_id: str | None = None
    team_id: str | None = None

    @property
    def acting_person(self) -> str | None:
        return self.id if self.kind == "person" else self.lead_id


def sees_whoever_owns(actor: Actor, visibility: str, owner: Owner) -> bool:
    """The part of may_see decided without the directory: a public goal, an admin, the person
    acting for the owner (so neither the owner's manager and team nor the actor's team is read)."""
    return visibility == "public" or actor.is_admin or actor.id == owner.acting_person


def may_see(actor: Actor, actor_team: str | None, visibility: str, owner: Owner) -> bool:
    """The read side's rule (shared.visibility.may_see_goal) on the write model's facts."""
    if sees_whoever_owns(actor, visibility, owner):
        return True
    audience = GoalAudience(visibility, owner.acting_person, owner.manager_id, owner.team_id)
    return may_see_goal(Onlooker(actor.id, actor.is_admin, actor_team), audience)


def may_edit(actor: Actor, owner: Owner) -> bool:
    return actor.is_admin or actor.id == owner.acting_person


def may_decide(actor: Actor, owner: Owner) -> bool:
    """Only the owner's manager or an admin decides on proposals (never the owner alone)."""
    return actor.is_admin or (owner.manager_id is not None and actor.id == owner.manager_id)


def require_editor(actor: Actor, owner: Owner) -> None:
    if not may_edit(actor, owner):
        raise ForbiddenError("only the goal's owner or an admin may change it")


def require_decider(actor: Actor, owner: Owner) -> None:
    if not may_decide(actor, owner):
        raise ForbiddenError("only the owner's manager or an admin may decide on this goal")


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise ForbiddenError("only an admin may do this")
