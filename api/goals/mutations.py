"""One mutation per command. Resolvers only translate; the application decides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import strawberry

from api import descriptions as d
from api.goals import inputs as i
from api.goals.types import GoalWrite
from api.resolvers import ResolverInfo, app, command_keywords, optional_text, run


async def _on_goal(info: ResolverInfo, command: Callable[..., Any], input: Any, *args: Any, **kwargs: Any) -> GoalWrite:
    """Run a goal command on the goal `input.goal_id` names."""
    return GoalWrite.of(await run(info, command, str(input.goal_id), *args, **kwargs))


async def _on_key_result(info: ResolverInfo, command: Callable[..., Any], input: Any, **kwargs: Any) -> GoalWrite:
    """Run a goal command on the key result `input.key_result_id` of the goal `input.goal_id`."""
    key_result_id = str(input.key_result_id)
    return GoalWrite.of(await run(info, command, str(input.goal_id), key_result_id, **kwargs), key_result_id)


def _goal_command(method: str, kind: type, description: str) -> Any:
    """The mutation of a goal command that takes the goal and, as keywords, the other fields of
    its input `kind` (same names; enums as their values)."""

    async def resolve(info: ResolverInfo, input: Any) -> GoalWrite:
        return await _on_goal(info, getattr(app(info).goals, method), input, **command_keywords(input, "goal_id"))

    resolve.__annotations__ = {"info": ResolverInfo, "input": Annotated[kind, d.INPUT], "return": GoalWrite}
    return strawberry.mutation(resolver=resolve, description=description)


def _check_in(input: i.CheckInKeyResultInput | i.RecordCheckInInput) -> dict[str, Any]:
    """What a check-in says besides its value: the same on a key result and on the goal."""
    return {"confidence": input.confidence, "note": input.note, "blockers": input.blockers}


@strawberry.type
class GoalMutation:
    @strawberry.mutation(
        description="Create a draft goal, owned by you unless ownerId says otherwise; `goalId` is its id."
    )
    async def create_goal(self, info: ResolverInfo, input: Annotated[i.CreateGoalInput, d.INPUT]) -> GoalWrite:
        stored = await run(
            info,
            app(info).goals.create_goal,
            title=input.title,
            description=input.description,
            owner_id=optional_text(input.owner_id),
            owner_kind=input.owner_kind.value,
            visibility=input.visibility.value,
            cycle_id=optional_text(input.cycle_id),
            parent_id=optional_text(input.parent_id),
            weight=input.weight,
            rolls_up=input.rolls_up,
            check_in_cadence=input.check_in_cadence.value,
        )
        return GoalWrite.of(stored)

    @strawberry.mutation(description="Edit a goal's details; fields left out keep their value.")
    async def edit_goal(self, info: ResolverInfo, input: Annotated[i.EditGoalInput, d.INPUT]) -> GoalWrite:
        details = {
            "title": input.title,
            "description": input.description,
            "rolls_up": input.rolls_up,
            "visibility": None if input.visibility is None else input.visibility.value,
        }
        return await _on_goal(info, app(info).goals.edit_goal, input, reason=input.reason, **details)

    # Not annotated, unlike the fields below: an annotated field comes before every method in the
    # schema, these keep their place among the methods (schema.graphql's order).
    change_goal_title = _goal_command(
        "change_goal_title", i.ChangeGoalTitleInput, "Change a goal's title, with a reason."
    )

    align_goal = _goal_command(
        "align_goal", i.AlignGoalInput, "Align a goal under a parent of the same cycle, with its weight."
    )
    change_goal_owner = _goal_command(
        "change_goal_owner", i.ChangeGoalOwnerInput, "Give a goal to another person or team."
    )
    move_goal_to_cycle = _goal_command(
        "move_goal_to_cycle",
        i.MoveGoalToCycleInput,
        "Move a goal to another open cycle, with a reason; it leaves its parent.",
    )
    set_check_in_cadence = _goal_command(
        "set_check_in_cadence",
        i.SetCheckInCadenceInput,
        "Owner, manager or admin: set how often an open goal expects a check-in.",
    )

    propose_goal: GoalWrite = _goal_command(
        "propose_goal", i.GoalCommentInput, "Owner: ask the manager to approve a draft."
    )
    approve_goal: GoalWrite = _goal_command(
        "approve_goal", i.GoalCommentInput, "Manager or admin: activate the goal, or apply its proposed change."
    )
    request_goal_changes: GoalWrite = _goal_command(
        "request_goal_changes", i.GoalCommentInput, "Manager or admin: send it back."
    )
    reject_goal: GoalWrite = _goal_command("reject_goal", i.GoalReasonInput, "Manager or admin: refuse, with a reason.")
    complete_goal: GoalWrite = _goal_command(
        "complete_goal", i.GoalReasonInput, "Owner, manager or admin: mark an active goal done."
    )
    abandon_goal: GoalWrite = _goal_command(
        "abandon_goal",
        i.GoalReasonInput,
        "Owner, manager or admin: give up an open goal; it stops counting in its parent's roll-up.",
    )

    @strawberry.mutation(
        description="Owner: propose a change to an active goal, for the manager to decide."
    )
    async def propose_goal_change(
        self, info: ResolverInfo, input: Annotated[i.ProposeGoalChangeInput, d.INPUT]
    ) -> GoalWrite:
        changes = {
            "title": input.title,
            "description": input.description,
            "weight": input.weight,
            "visibility": None if input.visibility is None else input.visibility.value,
        }
        wanted = {k: v for k, v in changes.items() if v is not None}
        return await _on_goal(info, app(info).goals.propose_goal_change, input, wanted, input.comment)

    @strawberry.mutation(description="Add a key result to a goal; `keyResultId` is its id.")
    async def add_key_result(self, info: ResolverInfo, input: Annotated[i.AddKeyResultInput, d.INPUT]) -> GoalWrite:
        stored, key_result_id = await run(
            info,
            app(info).goals.add_key_result,
            str(input.goal_id),
            title=input.title,
            kind=input.kind.value,
            start=input.start,
            target=input.target,
            unit=input.unit,
            weight=input.weight,
            metric_key=input.metric_key,
        )
        return GoalWrite.of(stored, key_result_id)

    @strawberry.mutation(
        description="Revise a key result's target; the old target and the reason are kept."
    )
    async def revise_key_result_target(
        self, info: ResolverInfo, input: Annotated[i.ReviseTargetInput, d.INPUT]
    ) -> GoalWrite:
        goals = app(info).goals
        return await _on_key_result(info, goals.revise_target, input, target=input.target, reason=input.reason)

    @strawberry.mutation(description="Check in a key result: its new value, with confidence, note and blockers.")
    async def check_in_key_result(
        self, info: ResolverInfo, input: Annotated[i.CheckInKeyResultInput, d.INPUT]
    ) -> GoalWrite:
        goals = app(info).goals
        return await _on_key_result(info, goals.check_in_key_result, input, value=input.value, **_check_in(input))

    @strawberry.mutation(description="A check-in on the goal itself.")
    async def record_check_in(self, info: ResolverInfo, input: Annotated[i.RecordCheckInInput, d.INPUT]) -> GoalWrite:
        return await _on_goal(info, app(info).goals.record_check_in, input, progress=input.progress, **_check_in(input))

