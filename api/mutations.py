"""One mutation per command. Resolvers only translate; the application decides."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api import descriptions as d
from api import inputs as i
from api.context import Context
from api.types import GoalWrite, Write
from application.momentum import Momentum
from application.store import Stored

GoalInfo = Info[Context, None]


async def _run(info: GoalInfo, command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a blocking command of the application off the event loop, as the request's actor."""
    return await asyncio.to_thread(command, info.context.actor, *args, **kwargs)


def _app(info: GoalInfo) -> Momentum:
    return info.context.momentum


def _opt(value: Any) -> Any:
    return None if value is None else str(value)


def _write(stored: Stored, id: str) -> Write:
    return Write(id=strawberry.ID(id), version=stored.version, sequence=stored.sequence)


def _person_details(input: i.RegisterPersonInput) -> dict[str, Any]:
    """What registering a person sets and updating one replaces."""
    return {
        "name": input.name,
        "email": input.email,
        "manager_id": _opt(input.manager_id),
        "team_id": _opt(input.team_id),
    }


def _team_details(input: i.RegisterTeamInput) -> dict[str, Any]:
    return {"name": input.name, "lead_id": _opt(input.lead_id)}


def _goal_text(method: str, text_field: str) -> Callable[..., Any]:
    """A goal command that takes the goal and one text (a comment or a reason)."""

    async def resolve(info: GoalInfo, input: Any) -> GoalWrite:
        command = getattr(_app(info), method)
        return GoalWrite.of(
            await _run(info, command, str(input.goal_id), getattr(input, text_field))
        )

    kind = i.GoalCommentInput if text_field == "comment" else i.GoalReasonInput
    resolve.__annotations__ = {"info": GoalInfo, "input": Annotated[kind, d.INPUT], "return": GoalWrite}
    return resolve


@strawberry.type
class DirectoryMutation:
    @strawberry.mutation(description="Admin: add a person to the directory.")
    async def register_person(self, info: GoalInfo, input: Annotated[i.RegisterPersonInput, d.INPUT]) -> Write:
        stored = await _run(
            info, _app(info).register_person, person_id=str(input.person_id), **_person_details(input)
        )
        return _write(stored, str(input.person_id))

    @strawberry.mutation(description="Admin: replace a person's name, email, manager and team.")
    async def update_person(self, info: GoalInfo, input: Annotated[i.RegisterPersonInput, d.INPUT]) -> Write:
        stored = await _run(info, _app(info).update_person, str(input.person_id), **_person_details(input))
        return _write(stored, str(input.person_id))

    @strawberry.mutation(description="Admin: deactivate a person; they stay in the directory for history.")
    async def deactivate_person(self, info: GoalInfo, input: Annotated[i.DeactivatePersonInput, d.INPUT]) -> Write:
        stored = await _run(info, _app(info).deactivate_person, str(input.person_id), input.reason)
        return _write(stored, str(input.person_id))

    @strawberry.mutation(description="Admin: add a team to the directory.")
    async def register_team(self, info: GoalInfo, input: Annotated[i.RegisterTeamInput, d.INPUT]) -> Write:
        stored = await _run(info, _app(info).register_team, team_id=str(input.team_id), **_team_details(input))
        return _write(stored, str(input.team_id))

    @strawberry.mutation(description="Admin: replace a team's name and lead.")
    async def update_team(self, info: GoalInfo, input: Annotated[i.RegisterTeamInput, d.INPUT]) -> Write:
        stored = await _run(info, _app(info).update_team, str(input.team_id), **_team_details(input))
        return _write(stored, str(input.team_id))

    @strawberry.mutation(description="Admin: deactivate a team; it stays in the directory for history.")
    async def deactivate_team(self, info: GoalInfo, input: Annotated[i.DeactivateTeamInput, d.INPUT]) -> Write:
        stored = await _run(info, _app(info).deactivate_team, str(input.team_id), input.reason)
        return _write(stored, str(input.team_id))


@strawberry.type
class CycleMutation:
    @strawberry.mutation(description="Admin: create a cycle; `id` is the new cycle's id.")
    async def create_cycle(self, info: GoalInfo, input: Annotated[i.CreateCycleInput, d.INPUT]) -> Write:
        stored = await _run(
            info,
            _app(info).create_cycle,
            name=input.name,
            starts_on=input.starts_on.isoformat(),
            ends_on=input.ends_on.isoformat(),
            timezone=input.timezone,
        )
        return _write(stored, str(stored.aggregate_id))

    @strawberry.mutation(description="Admin: close a cycle; its goals accept no command until it is reopened.")
    async def close_cycle(self, info: GoalInfo, input: Annotated[i.CycleReasonInput, d.INPUT]) -> Write:
        return _write(
            await _run(info, _app(info).close_cycle, str(input.cycle_id), input.reason),
            str(input.cycle_id),
        )

    @strawberry.mutation(description="Admin: reopen a closed cycle; the reason is required.")
    async def reopen_cycle(self, info: GoalInfo, input: Annotated[i.CycleReasonInput, d.INPUT]) -> Write:
        return _write(
            await _run(info, _app(info).reopen_cycle, str(input.cycle_id), input.reason),
            str(input.cycle_id),
        )


@strawberry.type
class GoalMutation:
    @strawberry.mutation(
        description="Create a draft goal, owned by you unless ownerId says otherwise; `goalId` is its id."
    )
    async def create_goal(self, info: GoalInfo, input: Annotated[i.CreateGoalInput, d.INPUT]) -> GoalWrite:
        stored = await _run(
            info,
            _app(info).create_goal,
            title=input.title,
            description=input.description,
            owner_id=_opt(input.owner_id),
            owner_kind=input.owner_kind.value,
            visibility=input.visibility.value,
            cycle_id=_opt(input.cycle_id),
            parent_id=_opt(input.parent_id),
            weight=input.weight,
            rolls_up=input.rolls_up,
        )
        return GoalWrite.of(stored)

    @strawberry.mutation(description="Edit a goal's details; fields left out keep their value.")
    async def edit_goal(self, info: GoalInfo, input: Annotated[i.EditGoalInput, d.INPUT]) -> GoalWrite:
        details = {
            "title": input.title,
            "description": input.description,
            "rolls_up": input.rolls_up,
            "visibility": None if input.visibility is None else input.visibility.value,
        }
        return GoalWrite.of(
            await _run(
                info, _app(info).edit_goal, str(input.goal_id), reason=input.reason, **details
            )
        )

    @strawberry.mutation(description="Change a goal's title, with a reason.")
    async def change_goal_title(self, info: GoalInfo, input: Annotated[i.ChangeGoalTitleInput, d.INPUT]) -> GoalWrite:
        stored = await _run(
            info, _app(info).change_goal_title, str(input.goal_id), input.title, input.reason
        )
        return GoalWrite.of(stored)

    @strawberry.mutation(
        description="Align a goal under a parent of the same cycle, with its weight."
    )
    async def align_goal(self, info: GoalInfo, input: Annotated[i.AlignGoalInput, d.INPUT]) -> GoalWrite:
        stored = await _run(
            info,
            _app(info).align_goal,
            str(input.goal_id),
            parent_id=_opt(input.parent_id),
            weight=input.weight,
            reason=input.reason,
        )
        return GoalWrite.of(stored)

    @strawberry.mutation(description="Give a goal to another person or team.")
    async def change_goal_owner(self, info: GoalInfo, input: Annotated[i.ChangeGoalOwnerInput, d.INPUT]) -> GoalWrite:
        stored = await _run(
            info,
            _app(info).change_goal_owner,
            str(input.goal_id),
            owner_id=str(input.owner_id),
            owner_kind=input.owner_kind.value,
            reason=input.reason,
        )
        return GoalWrite.of(stored)

    propose_goal: GoalWrite = strawberry.mutation(
        resolver=_goal_text("propose_goal", "comment"),
        description="Owner: ask the manager to approve a draft.",
    )
    approve_goal: GoalWrite = strawberry.mutation(
        resolver=_goal_text("approve_goal", "comment"),
        description="Manager or admin: activate the goal, or apply its proposed change.",
    )
    request_goal_changes: GoalWrite = strawberry.mutation(
        resolver=_goal_text("request_goal_changes", "comment"),
        description="Manager or admin: send it back.",
    )
    reject_goal: GoalWrite = strawberry.mutation(
        resolver=_goal_text("reject_goal", "reason"),
        description="Manager or admin: refuse, with a reason.",
    )
    complete_goal: GoalWrite = strawberry.mutation(
        resolver=_goal_text("complete_goal", "reason"),
        description="Owner, manager or admin: mark an active goal done.",
    )
    abandon_goal: GoalWrite = strawberry.mutation(
        resolver=_goal_text("abandon_goal", "reason"),
        description="Owner, manager or admin: give up an open goal; it stops counting in its parent's roll-up.",
    )

    @strawberry.mutation(
        description="Owner: propose a change to an active goal, for the manager to decide."
    )
    async def propose_goal_change(
        self, info: GoalInfo, input: Annotated[i.ProposeGoalChangeInput, d.INPUT]
    ) -> GoalWrite:
        changes = {
            "title": input.title,
            "description": input.description,
            "weight": input.weight,
            "visibility": None if input.visibility is None else input.visibility.value,
        }
        wanted = {k: v for k, v in changes.items() if v is not None}
        return GoalWrite.of(
            await _run(
                info, _app(info).propose_goal_change, str(input.goal_id), wanted, input.comment
            )
        )

    @strawberry.mutation(description="Add a key result to a goal; `keyResultId` is its id.")
    async def add_key_result(self, info: GoalInfo, input: Annotated[i.AddKeyResultInput, d.INPUT]) -> GoalWrite:
        stored, key_result_id = await _run(
            info,
            _app(info).add_key_result,
            str(input.goal_id),
            title=input.title,
            kind=input.kind.value,
            start=input.start,
            target=input.target,
            unit=input.unit,
            weight=input.weight,
        )
        return GoalWrite.of(stored, key_result_id)

    @strawberry.mutation(
        description="Revise a key result's target; the old target and the reason are kept."
    )
    async def revise_key_result_target(
        self, info: GoalInfo, input: Annotated[i.ReviseTargetInput, d.INPUT]
    ) -> GoalWrite:
        stored = await _run(
            info,
            _app(info).revise_target,
            str(input.goal_id),
            str(input.key_result_id),
            target=input.target,
            reason=input.reason,
        )
        return GoalWrite.of(stored, str(input.key_result_id))

    @strawberry.mutation(description="Check in a key result: its new value, with confidence, note and blockers.")
    async def check_in_key_result(
        self, info: GoalInfo, input: Annotated[i.CheckInKeyResultInput, d.INPUT]
    ) -> GoalWrite:
        stored = await _run(
            info,
            _app(info).check_in_key_result,
            str(input.goal_id),
            str(input.key_result_id),
            value=input.value,
            confidence=input.confidence,
            note=input.note,
            blockers=input.blockers,
        )
        return GoalWrite.of(stored, str(input.key_result_id))

    @strawberry.mutation(description="A check-in on the goal itself.")
    async def record_check_in(self, info: GoalInfo, input: Annotated[i.RecordCheckInInput, d.INPUT]) -> GoalWrite:
        stored = await _run(
            info,
            _app(info).record_check_in,
            str(input.goal_id),
            progress=input.progress,
            confidence=input.confidence,
            note=input.note,
            blockers=input.blockers,
        )
        return GoalWrite.of(stored)


@strawberry.type
class Mutation(GoalMutation, CycleMutation, DirectoryMutation):
    pass
