"""Directory and cycle queries: every signed-in person may read the directory and the cycles."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api import descriptions as d
from api.context import Context
from api.directory.types import Cycle, Me, Person, Team, person, team
from api.loaders import loaders
from api.resolvers import require_uuid


@strawberry.type
class DirectoryQuery:
    @strawberry.field(description="The cycle (every signed-in person may see cycles); null for an unknown id.")
    async def cycle(
        self, info: Info[Context, None], id: d.CycleId, consistency: d.Consistency = None
    ) -> Cycle | None:
        cycle_id = require_uuid(id, "id")
        row = await loaders(info.context).cycles.load(cycle_id)
        return None if row is None else Cycle.of(row)

    @strawberry.field(description="A person of the directory; null for an id it does not hold.")
    async def person(
        self, info: Info[Context, None], id: d.PersonId, consistency: d.Consistency = None
    ) -> Person | None:
        return await person(info, str(id))

    @strawberry.field(description="A team of the directory; null for an id it does not hold.")
    async def team(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description=d.TEAM_ID)],
        consistency: d.Consistency = None,
    ) -> Team | None:
        return await team(info, str(id))

    @strawberry.field(description="The caller, as the token says, and as the directory knows them.")
    async def me(self, info: Info[Context, None]) -> Me:
        return Me(id=strawberry.ID(info.context.actor.id), roles=sorted(info.context.actor.roles))
