"""GraphQL input types, one per command."""

from __future__ import annotations

import strawberry

from api import descriptions as d
from api.goals.types import CheckInCadence, GoalStatus, KeyResultKind, OwnerKind, Visibility


@strawberry.input(description="A new goal; it starts as a draft.")
class CreateGoalInput:
    title: str = strawberry.field(description="The goal's title. " + d.TITLE)
    description: str = strawberry.field(default="", description=d.GOAL_DESCRIPTION)
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="The owner (a person id, or a team id with ownerKind TEAM); null: you."
    )
    owner_kind: OwnerKind = strawberry.field(default=OwnerKind.PERSON, description=d.OWNER_KIND)
    visibility: Visibility = strawberry.field(default=Visibility.PUBLIC, description=d.VISIBILITY)
    cycle_id: strawberry.ID | None = strawberry.field(
        default=None, description="The cycle, open; fixed once created. Null: an untimed goal."
    )
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="A goal of the same cycle to align under; null for none."
    )
    weight: float = strawberry.field(default=1.0, description=d.WEIGHT)
    rolls_up: bool = strawberry.field(default=False, description="Roll aligned children up into progress.")
    check_in_cadence: CheckInCadence = strawberry.field(
        default=CheckInCadence.WEEKLY, description="How often the goal expects a check-in."
    )


@strawberry.input(description="New details of a goal; a field left out (or null) keeps its value.")
class EditGoalInput:
    goal_id: strawberry.ID = strawberry.field(description=d.GOAL_TO_CHANGE)
    title: str | None = strawberry.field(default=None, description="The new title; null keeps it. " + d.TITLE)
    description: str | None = strawberry.field(default=None, description="The new description; null keeps it.")
    visibility: Visibility | None = strawberry.field(default=None, description="The new visibility; null keeps it.")
    rolls_up: bool | None = strawberry.field(default=None, description="Whether children roll up; null keeps it.")
    reason: str = strawberry.field(default="", description=d.REASON)


@strawberry.input(description="A goal's new title.")
class ChangeGoalTitleInput:
    goal_id: strawberry.ID = strawberry.field(description=d.GOAL_TO_CHANGE)
    title: str = strawberry.field(description="The new title. " + d.TITLE)
    reason: str = strawberry.field(default="", description=d.REASON)


@strawberry.input(description="Where a goal aligns, and with which weight.")
class AlignGoalInput:
    goal_id: strawberry.ID = strawberry.field(description=d.GOAL_TO_CHANGE)
    parent_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The parent: a goal of the same cycle, not the goal itself or one of its descendants. "
        "Null unaligns the goal.",
    )
    weight: float = strawberry.field(default=1.0, description=d.WEIGHT)
    reason: str = strawberry.field(default="", description=d.REASON)


@strawberry.input(description="A goal's new owner.")
class ChangeGoalOwnerInput:
    goal_id: strawberry.ID = strawberry.field(description=d.GOAL_TO_CHANGE)
    owner_id: strawberry.ID = strawberry.field(
        description="The new owner: a person id, or a team id with ownerKind TEAM."
    )
    owner_kind: OwnerKind = strawberry.field(default=OwnerKind.PERSON, description=d.OWNER_KIND)
    reason: str = strawberry.field(default="", description=d.REASON)


@strawberry.input(description="The cycle a goal moves to, and why.")
class MoveGoalToCycleInput:
    goal_id: strawberry.ID = strawberry.field(description=d.GOAL_TO_CHANGE)
    cycle_id: strawberry.ID = strawberry.field(
        description="The open cycle the goal moves to; the goal leaves its parent (of the cycle it leaves)."
    )
    reason: str = strawberry.field(description=d.REQUIRED_REASON)


@strawberry.input(description="How often a goal expects a check-in.")
class SetCheckInCadenceInput:
    goal_id: strawberry.ID = strawberry.field(description=d.GOAL_TO_CHANGE)
    cadence: CheckInCadence = strawberry.field(description="The new cadence.")


@strawberry.input(description="A step of the proposal dialogue on a goal, with a comment.")
class GoalCommentInput:
    goal_id: strawberry.ID = strawberry.field(description=d.GOAL_TO_CHANGE)
    comment: str = strawberry.field(default="", description=d.COMMENT + " Required to request changes.")


@strawberry.input(description="A lifecycle step on a goal, with a reason.")
class GoalReasonInput:
    goal_id: strawberry.ID = strawberry.field(description=d.GOAL_TO_CHANGE)
    reason: str = strawberry.field(default="", description=d.REASON + " Required to reject.")


@strawberry.input(description="A change to an active goal, proposed to the manager; give at least one field.")
class ProposeGoalChangeInput:
    goal_id: strawberry.ID = strawberry.field(description=d.GOAL_TO_CHANGE)
    title: str | None = strawberry.field(
        default=None, description="The proposed title; null: not part of the proposal."
    )
    description: str | None = strawberry.field(
        default=None, description="The proposed description; null: not part of the proposal."
    )
    visibility: Visibility | None = strawberry.field(
        default=None, description="The proposed visibility; null: not part of the proposal."
    )
    weight: float | None = strawberry.field(
        default=None, description="The proposed weight toward the parent; null: not part of the proposal."
    )
    comment: str = strawberry.field(default="", description=d.COMMENT)


@strawberry.input(description="A new key result of a goal.")
class AddKeyResultInput:
    goal_id: strawberry.ID = strawberry.field(description=d.GOAL_TO_CHANGE)
    title: str = strawberry.field(description="What is measured. " + d.TITLE)
    kind: KeyResultKind = strawberry.field(description="How its value turns into progress.")
    start: float = strawberry.field(
        default=0.0,
        description="The value it starts from: below target for INCREASE_TO, above it for DECREASE_TO; ignored "
        "for a milestone.",
    )
    target: float = strawberry.field(
        default=1.0, description="The value to reach (or stay above or below); ignored for a milestone."
    )
    unit: str = strawberry.field(default="", description=d.UNIT)
    weight: float = strawberry.field(default=1.0, description=d.WEIGHT)
    metric_key: str | None = strawberry.field(
        default=None, description=d.METRIC_KEY + " Null: not linked (see linkKeyResultMetric)."
    )


@strawberry.input(description="A key result's new target, and why.")
class ReviseTargetInput:
    goal_id: strawberry.ID = strawberry.field(description=d.GOAL_TO_CHANGE)
    key_result_id: strawberry.ID = strawberry.field(description=d.KEY_RESULT_ID + " Not a milestone.")
    target: float = strawberry.field(
        description="The new target, different from the current one, in the key result's unit."
    )
    reason: str = strawberry.field(description=d.REQUIRED_REASON)


@strawberry.input(description="A check-in on a key result.")
class CheckInKeyResultInput:
    goal_id: strawberry.ID = strawberry.field(description=d.GOAL_TO_CHANGE)
    key_result_id: strawberry.ID = strawberry.field(description=d.KEY_RESULT_ID)
    value: float = strawberry.field(
        description="The key result's value now, in its unit; for a milestone 1 (done) or 0."
    )
    confidence: int | None = strawberry.field(default=None, description=d.CONFIDENCE)
    note: str = strawberry.field(default="", description=d.NOTE)
    blockers: str = strawberry.field(default="", description=d.BLOCKERS)


@strawberry.input(description="A check-in on the goal itself (for a goal without key results to roll up).")
class RecordCheckInInput:
    goal_id: strawberry.ID = strawberry.field(description=d.GOAL_TO_CHANGE)
    progress: float = strawberry.field(description="The goal's progress now. " + d.PROGRESS)
    confidence: int | None = strawberry.field(default=None, description=d.CONFIDENCE)
    note: str = strawberry.field(default="", description=d.NOTE)
    blockers: str = strawberry.field(default="", description=d.BLOCKERS)


@strawberry.input(description="Which goals to list: every field given must match; null fields do not filter.")
class GoalFilterInput:
    cycle: strawberry.ID | None = strawberry.field(default=None, description="Only goals of this cycle (a cycle id).")
    owner: strawberry.ID | None = strawberry.field(
        default=None, description="Only goals of this owner (a person or team id)."
    )
    team: strawberry.ID | None = strawberry.field(
        default=None, description="Only goals of this team: owned by the team or by one of its members (a team id)."
    )
    state: GoalStatus | None = strawberry.field(default=None, description="Only goals in this status.")
    stale: bool | None = strawberry.field(
        default=None, description="Only stale goals (true), or only goals that are not stale (false)."
    )
