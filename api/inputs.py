"""GraphQL input types, one per command."""

from __future__ import annotations

from datetime import date

import strawberry

from api.types import GoalStatus, KeyResultKind, OwnerKind, Visibility


@strawberry.input
class RegisterPersonInput:
    person_id: strawberry.ID
    name: str
    email: str
    manager_id: strawberry.ID | None = None
    team_id: strawberry.ID | None = None


@strawberry.input
class DeactivatePersonInput:
    person_id: strawberry.ID
    reason: str = ""


@strawberry.input
class RegisterTeamInput:
    team_id: strawberry.ID
    name: str
    lead_id: strawberry.ID | None = None


@strawberry.input
class DeactivateTeamInput:
    team_id: strawberry.ID
    reason: str = ""


@strawberry.input
class CreateCycleInput:
    name: str
    starts_on: date
    ends_on: date
    timezone: str = strawberry.field(default="UTC", description="IANA time zone, e.g. Europe/Paris.")


@strawberry.input
class CycleReasonInput:
    cycle_id: strawberry.ID
    reason: str = ""


@strawberry.input
class CreateGoalInput:
    title: str
    description: str = ""
    owner_id: strawberry.ID | None = None
    owner_kind: OwnerKind = OwnerKind.PERSON
    visibility: Visibility = Visibility.PUBLIC
    cycle_id: strawberry.ID | None = None
    parent_id: strawberry.ID | None = None
    weight: float = 1.0
    rolls_up: bool = strawberry.field(
        default=False, description="Roll aligned children up into progress."
    )


@strawberry.input
class EditGoalInput:
    goal_id: strawberry.ID
    title: str | None = None
    description: str | None = None
    visibility: Visibility | None = None
    rolls_up: bool | None = None
    reason: str = ""


@strawberry.input
class ChangeGoalTitleInput:
    goal_id: strawberry.ID
    title: str
    reason: str = ""


@strawberry.input
class AlignGoalInput:
    goal_id: strawberry.ID
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="null unaligns the goal."
    )
    weight: float = 1.0
    reason: str = ""


@strawberry.input
class ChangeGoalOwnerInput:
    goal_id: strawberry.ID
    owner_id: strawberry.ID
    owner_kind: OwnerKind = OwnerKind.PERSON
    reason: str = ""


@strawberry.input
class GoalCommentInput:
    goal_id: strawberry.ID
    comment: str = ""


@strawberry.input
class GoalReasonInput:
    goal_id: strawberry.ID
    reason: str = ""


@strawberry.input
class ProposeGoalChangeInput:
    goal_id: strawberry.ID
    title: str | None = None
    description: str | None = None
    visibility: Visibility | None = None
    weight: float | None = None
    comment: str = ""


@strawberry.input
class AddKeyResultInput:
    goal_id: strawberry.ID
    title: str
    kind: KeyResultKind
    start: float = 0.0
    target: float = 1.0
    unit: str = ""
    weight: float = 1.0


@strawberry.input
class ReviseTargetInput:
    goal_id: strawberry.ID
    key_result_id: strawberry.ID
    target: float
    reason: str


@strawberry.input
class CheckInKeyResultInput:
    goal_id: strawberry.ID
    key_result_id: strawberry.ID
    value: float
    confidence: int | None = None
    note: str = ""
    blockers: str = ""


@strawberry.input
class RecordCheckInInput:
    goal_id: strawberry.ID
    progress: float
    confidence: int | None = None
    note: str = ""
    blockers: str = ""


@strawberry.input
class GoalFilterInput:
    cycle: strawberry.ID | None = None
    owner: strawberry.ID | None = None
    team: strawberry.ID | None = None
    state: GoalStatus | None = None
    stale: bool | None = None
