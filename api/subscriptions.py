"""Subscriptions over graphql-transport-ws, driven by the projector's notices (api.changes).

Every delivered item is read again through the visibility-aware reader as the subscriber,
so an item the subscriber may not see (now) is never sent."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import strawberry
from strawberry.types import Info

from api.context import Context
from api.errors import Unavailable
from api.queries import require_uuid, viewer
from api.types import Goal
from domain.errors import NotFoundError
from projections import reader


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="The goal as the caller may see it now, then again after each change to it "
        "(a new version) that the caller may see."
    )
    async def goal_updated(self, info: Info[Context, None], goal_id: strawberry.ID) -> AsyncGenerator[Goal, None]:
        goal = require_uuid(goal_id, "goalId")
        context = info.context
        changes = context.services.changes
        if changes is None:
            raise Unavailable("subscriptions are not served by this process")
        async with changes.subscribe(context.services.settings.kafka_topic) as subscriber:
            # subscribed before the first read: no change can fall between the two
            row = await _visible_goal(context, goal)
            if row is None:
                raise NotFoundError(f"goal {goal} not found", field="goalId")
            delivered = row["version"]
            yield Goal.of(row)
            while True:
                subjects = await subscriber.changed()
                if subjects is not None and goal not in subjects:
                    continue
                row = await _visible_goal(context, goal)
                if row is None or row["version"] <= delivered:
                    continue  # hidden from this subscriber now, or not changed
                delivered = row["version"]
                context.forget_cached_reads()
                yield Goal.of(row)


async def _visible_goal(context: Context, goal_id: str) -> dict[str, Any] | None:
    async with context.pool.connection() as conn:
        return await reader.goal(conn, viewer(context), goal_id)
