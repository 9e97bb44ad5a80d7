"""Directory and cycle mutations, admin only. Resolvers only translate; the application decides."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from api import descriptions as d
from api.directory import inputs as i
from api.resolvers import ResolverInfo, Write, app, created, optional_text, run, run_on, written


def _person_details(input: i.RegisterPersonInput) -> dict[str, Any]:
    """What registering a person sets and updating one replaces."""
    return {
        "name": input.name,
        "email": input.email,
        "manager_id": optional_text(input.manager_id),
        "team_id": optional_text(input.team_id),
    }


def _team_details(input: i.RegisterTeamInput) -> dict[str, Any]:
    return {"name": input.name, "lead_id": optional_text(input.lead_id)}


@strawberry.type
class DirectoryMutation:
    @strawberry.mutation(description="Admin: add a person to the directory.")
    async def register_person(self, info: ResolverInfo, input: Annotated[i.RegisterPersonInput, d.INPUT]) -> Write:
        stored = await run(
            info, app(info).directory.register_person, person_id=str(input.person_id), **_person_details(input)
        )
        return written(stored, str(input.person_id))

    @strawberry.mutation(description="Admin: replace a person's name, email, manager and team.")
    async def update_person(self, info: ResolverInfo, input: Annotated[i.RegisterPersonInput, d.INPUT]) -> Write:
        return await run_on(info, app(info).directory.update_person, str(input.person_id), **_person_details(input))

    @strawberry.mutation(description="Admin: deactivate a person; they stay in the directory for history.")
    async def deactivate_person(self, info: ResolverInfo, input: Annotated[i.DeactivatePersonInput, d.INPUT]) -> Write:
        return await run_on(info, app(info).directory.deactivate_person, str(input.person_id), input.reason)

    @strawberry.mutation(description="Admin: add a team to the directory.")
    async def register_team(self, info: ResolverInfo, input: Annotated[i.RegisterTeamInput, d.INPUT]) -> Write:
        stored = await run(info, app(info).directory.register_team, team_id=str(input.team_id), **_team_details(input))
        return written(stored, str(input.team_id))

    @strawberry.mutation(description="Admin: replace a team's name and lead.")
    async def update_team(self, info: ResolverInfo, input: Annotated[i.RegisterTeamInput, d.INPUT]) -> Write:
        return await run_on(info, app(info).directory.update_team, str(input.team_id), **_team_details(input))

    @strawberry.mutation(description="Admin: deactivate a team; it stays in the directory for history.")
    async def deactivate_team(self, info: ResolverInfo, input: Annotated[i.DeactivateTeamInput, d.INPUT]) -> Write:
        return await run_on(info, app(info).directory.deactivate_team, str(input.team_id), input.reason)


@strawberry.type
class CycleMutation:
    @strawberry.mutation(description="Admin: create a cycle; `id` is the new cycle's id.")
    async def create_cycle(self, info: ResolverInfo, input: Annotated[i.CreateCycleInput, d.INPUT]) -> Write:
        stored = await run(
            info,
            app(info).cycles.create_cycle,
            name=input.name,
            starts_on=input.starts_on.isoformat(),
            ends_on=input.ends_on.isoformat(),
            timezone=input.timezone,
        )
        return created(stored)

    @strawberry.mutation(description="Admin: close a cycle; its goals accept no command until it is reopened.")
    async def close_cycle(self, info: ResolverInfo, input: Annotated[i.CycleReasonInput, d.INPUT]) -> Write:
        return await run_on(info, app(info).cycles.close_cycle, str(input.cycle_id), input.reason)

    @strawberry.mutation(description="Admin: reopen a closed cycle; the reason is required.")
    async def reopen_cycle(self, info: ResolverInfo, input: Annotated[i.CycleReasonInput, d.INPUT]) -> Write:
        return await run_on(info, app(info).cycles.reopen_cycle, str(input.cycle_id), input.reason)
