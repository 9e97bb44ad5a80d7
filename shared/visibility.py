"""Who may see a goal, a feedback item or a feedback request: the rules the read models apply
in SQL (projections/goals/queries.VISIBLE, projections/privacy.FEEDBACK_SQL, feedback_reader.requests_of),
as pure predicates for the write side (a command may only name what its caller may see) and for
items pushed to subscribers. tests/integration/test_visibility_rules.py checks the goal rule
against its SQL for every viewer, owner and visibility; test_feedback_privacy.py does the same
for feedback on every read path."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Onlooker:
    """The person looking, with the team the directory puts them in."""

    id: str
    admin: bool = False
    team_id: str | None = None


@dataclass(frozen=True)
class GoalAudience:
    """The facts a goal's visibility is decided on: the person acting for its owner (the
    person, or a team's lead), the owner's manager (a team's: its lead's) and the owner's team
    (a person's team, or the owning team itself)."""

    visibility: str
    owner_person: str | None
    owner_manager: str | None
    owner_team: str | None


def may_see_goal(onlooker: Onlooker, goal: GoalAudience) -> bool:
    """Public goals to all; team goals to the owner's team; every goal to its owner (a team's
    lead), the owner's manager and admins."""
    return (
        goal.visibility == "public"
        or onlooker.admin
        or onlooker.id in (goal.owner_person, goal.owner_manager)
        or (goal.visibility == "team" and goal.owner_team is not None and goal.owner_team == onlooker.team_id)
    )


def may_see_feedback(viewer_id: str, feedback: Mapping[str, Any]) -> bool:
    """Private feedback is for its author and recipient only (admins get no exception);
    "manager" feedback adds the recipient's manager at the time it was given."""
    return (
        feedback["visibility"] == "public"
        or viewer_id in (feedback["author_id"], feedback["recipient_id"])
        or (feedback["visibility"] == "manager" and feedback["manager_id"] == viewer_id)
    )


def may_see_request(viewer_id: str, requester_id: str, respondent_ids: set[str] | Mapping[str, Any]) -> bool:
    """A feedback request is read only by its requester and the people it asks."""
    return viewer_id == requester_id or viewer_id in respondent_ids
