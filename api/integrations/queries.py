"""Integration queries: admins read the service accounts."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api import descriptions as d
from api.integrations.types import ServiceAccount
from api.resolvers import ResolverInfo
from application.access import require_admin
from projections.directory import queries as directory_reader


@strawberry.type
class IntegrationQuery:
    @strawberry.field(description="Admin: a service account of the directory; null for an id it does not hold.")
    async def service_account(
        self,
        info: ResolverInfo,
        id: Annotated[strawberry.ID, strawberry.argument(description="The service account's id.")],
        consistency: d.Consistency = None,
    ) -> ServiceAccount | None:
        require_admin(info.context.actor)
        async with info.context.pool.connection() as conn:
            row = await directory_reader.service_account(conn, str(id))
        return None if row is None else ServiceAccount.of(row)
