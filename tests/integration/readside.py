"""The read side without Kafka: project the event store straight into the read models, and
run GraphQL in-process with a pool that counts SQL statements."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from psycopg import AsyncCursor
from psycopg_pool import AsyncConnectionPool

from api.context import Context, Services
from api.schema import build_schema
from application.identity import Actor
from application.momentum import Momentum
from bootstrap import build_api_pool, build_projector, prepare_read_models
from contracts.envelope import to_envelope
from settings import Settings


def envelopes(app: Momentum, settings: Settings) -> list[dict[str, Any]]:
    notifications = app.recorder.select_notifications(1, 1_000_000)
    return [
        to_envelope(app.mapper.to_domain_event(n), n.id, settings.event_source)
        for n in notifications
    ]


def project(settings: Settings, events: list[dict[str, Any]], batch: int = 1000) -> None:
    """Apply `events` in batches, as the projector would, one transaction per batch."""
    prepare_read_models(settings)
    projections = build_projector(settings).projections
    with psycopg.connect(settings.database_url) as conn:
        for start in range(0, len(events), batch):
            with conn.transaction(), conn.cursor() as cur:
                for projection in projections:
                    projection.apply(cur, events[start : start + batch])


class Counter:
    statements = 0


class CountingCursor(AsyncCursor[Any]):
    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        Counter.statements += 1
        return await super().execute(*args, **kwargs)


async def _count(conn: psycopg.AsyncConnection[Any]) -> None:
    conn.cursor_factory = CountingCursor


@functools.cache
def _schema() -> Any:
    return build_schema()


@asynccontextmanager
async def graphql_pool(settings: Settings, connections: int = 4) -> AsyncIterator[AsyncConnectionPool[Any]]:
    """A pool whose statements are counted in Counter.statements."""
    pool = build_api_pool(settings, min_size=1, max_size=connections, configure=_count)
    await pool.open()
    try:
        yield pool
    finally:
        await pool.close()


@asynccontextmanager
async def graphql(settings: Settings, app: Momentum, connections: int = 4) -> AsyncIterator[Any]:
    """With one connection, queries run one at a time in a fixed order, so DataLoader batches
    form the same way on every run (with more, two batches may merge or not by timing)."""
    schema = _schema()
    async with graphql_pool(settings, connections) as pool:
        services = Services(settings=settings, momentum=app, pool=pool)

        async def run(query: str, actor: Actor, **variables: Any) -> Any:
            return await schema.execute(query, variables, context_value=Context(services, actor, None))

        yield run


def query(settings: Settings, app: Momentum, text: str, actor: Actor, **variables: Any) -> Any:
    """`text` run once as `actor`, from synchronous test code."""

    async def run() -> Any:
        async with graphql(settings, app) as execute:
            return await execute(text, actor, **variables)

    return asyncio.run(run())
