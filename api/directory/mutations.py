"""Directory and cycle mutations, admin only. Resolvers only translate; the application decides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import strawberry

from api import descriptions as d
from api.directory import inputs as i
from api.resolvers import ResolverInfo, Write, app, optional_text, run, run_new, run_on, written


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


def _entry_mutations(
    noun: str, entry: type, deactivation: type, details: Callable[[Any], dict[str, Any]], *descriptions: str
) -> tuple[Any, ...]:
    """registerX, updateX (both taking an `entry` input) and deactivateX (a `deactivation`
    input) of a directory entry named by `noun` (a person or a team): each runs the directory
    command of that name on the entry `input.<noun>_id` names."""
    id_field = f"{noun}_id"

    async def register(info: ResolverInfo, input: Any) -> Write:
        entry_id = str(getattr(input, id_field))
        command = getattr(app(info).directory, f"register_{noun}")
        return written(await run(info, command, **{id_field: entry_id}, **details(input)), entry_id)

    async def update(info: ResolverInfo, input: Any) -> Write:
        command = getattr(app(info).directory, f"update_{noun}")
        return await run_on(info, command, str(getattr(input, id_field)), **details(input))

    async def deactivate(info: ResolverInfo, input: Any) -> Write:
        command = getattr(app(info).directory, f"deactivate_{noun}")
        return await run_on(info, command, str(getattr(input, id_field)), input.reason)

    resolvers = ((register, entry), (update, entry), (deactivate, deactivation))
    for resolve, kind in resolvers:
        resolve.__annotations__ = {"info": ResolverInfo, "input": Annotated[kind, d.INPUT], "return": Write}
    return tuple(
        strawberry.mutation(resolver=resolve, description=description)
        for (resolve, _), description in zip(resolvers, descriptions, strict=True)
    )


@strawberry.type
class DirectoryMutation:
    register_person, update_person, deactivate_person = _entry_mutations(
        "person",
        i.RegisterPersonInput,
        i.DeactivatePersonInput,
        _person_details,
        "Admin: add a person to the directory.",
        "Admin: replace a person's name, email, manager and team.",
        "Admin: deactivate a person; they stay in the directory for history.",
    )
    register_team, update_team, deactivate_team = _entry_mutations(
        "team",
        i.RegisterTeamInput,
        i.DeactivateTeamInput,
        _team_details,
        "Admin: add a team to the directory.",
        "Admin: replace a team's name and lead.",
        "Admin: deactivate a team; it stays in the directory for history.",
    )


@strawberry.type
class CycleMutation:
    @strawberry.mutation(description="Admin: create a cycle; `id` is the new cycle's id.")
    async def create_cycle(self, info: ResolverInfo, input: Annotated[i.CreateCycleInput, d.INPUT]) -> Write:
        return await run_new(
            info,
            app(info).cycles.create_cycle,
            name=input.name,
            starts_on=input.starts_on.isoformat(),
            ends_on=input.ends_on.isoformat(),
            timezone=input.timezone,
        )

    @strawberry.mutation(description="Admin: close a cycle; its goals accept no command until it is reopened.")
    async def close_cycle(self, info: ResolverInfo, input: Annotated[i.CycleReasonInput, d.INPUT]) -> Write:
        return await run_on(info, app(info).cycles.close_cycle, str(input.cycle_id), input.reason)

    @strawberry.mutation(description="Admin: reopen a closed cycle; the reason is required.")
    async def reopen_cycle(self, info: ResolverInfo, input: Annotated[i.CycleReasonInput, d.INPUT]) -> Write:
        return await run_on(info, app(info).cycles.reopen_cycle, str(input.cycle_id), input.reason)
