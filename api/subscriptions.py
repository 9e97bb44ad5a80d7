"""Subscriptions over graphql-transport-ws, driven by the projector's notices (api.changes).

Every delivered item is read again through the visibility-aware reader as the subscriber,
so an item the subscriber may not see (now) is never sent. A new subscription (myFeedback,
kudosFeed with the feedback issue) iterates `watch` (closing it with `aclosing`) and re-reads
what it delivers the same way."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from typing import Any

import strawberry
from strawberry.types import Info

from api.context import Context
from api.errors import Unavailable
from api.queries import require_uuid, viewer
from api.types import Goal
from domain.errors import NotFoundError
from projections import reader

Interest = Callable[[frozenset[str] | None], bool]  # changed subjects (None: anything) → re-read?


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="The goal as the caller may see it now, then again after each change to it "
        "(a new version) that the caller may see."
    )
    async def goal_updated(self, info: Info[Context, None], goal_id: strawberry.ID) -> AsyncGenerator[Goal, None]:
        goal = require_uuid(goal_id, "goalId")
        delivered = 0
        async with aclosing(watch(info.context, lambda subjects: subjects is None or goal in subjects)) as steps:
            async for _ in steps:
                row = await _visible_goal(info.context, goal)
                if row is None and not delivered:
                    raise NotFoundError(f"goal {goal} not found", field="goalId")
                if row is None or row["version"] <= delivered:
                    continue  # hidden from this subscriber now, or not changed
                delivered = row["version"]
                yield Goal.of(row)


async def watch(context: Context, interest: Interest) -> AsyncGenerator[None, None]:
    """Once now, then after every committed projector batch that `interest` accepts. The
    subscription is registered before the first read, so no change can fall in between.
    Each step checks that the websocket's token is still valid and drops the cached reads."""
    changes = context.services.changes
    if changes is None:
        raise Unavailable("subscriptions are not served by this process")
    context.require_unexpired_token()
    async with changes.subscribe(context.services.settings.kafka_topic) as subscriber:
        yield
        while True:
            if interest(await subscriber.changed()):
                context.require_unexpired_token()
                context.forget_cached_reads()
                yield


async def _visible_goal(context: Context, goal_id: str) -> dict[str, Any] | None:
    async with context.pool.connection() as conn:
        return await reader.goal(conn, viewer(context), goal_id)
