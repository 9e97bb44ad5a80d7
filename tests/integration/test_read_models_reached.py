"""Read-your-writes waits against the real PostgreSQL: many requests waiting for the same
sequence share one positions query per projector notice, instead of one each."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import psycopg
import pytest

from api.context import Context, Services
from api.errors import Unavailable
from bootstrap import prepare_read_models
from projections.notices import Notice
from settings import Settings
from tests.integration.readside import Counter, graphql_pool

WAITING = 40


def _positions(settings: Settings, safe_sequence: int) -> None:
    with psycopg.connect(settings.database_url) as conn, conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO projector_positions (topic, partition, next_offset, safe_sequence) VALUES (%s, %s, 0, %s) "
            "ON CONFLICT (topic, partition) DO UPDATE SET safe_sequence = EXCLUDED.safe_sequence",
            [(settings.kafka_topic, p, safe_sequence) for p in range(settings.kafka_partitions)],
        )


def test_waiting_requests_share_the_look_at_the_positions(settings: Settings) -> None:
    prepare_read_models(settings)
    _positions(settings, 5)

    async def scenario() -> tuple[list[int], int]:
        async with graphql_pool(settings) as pool:
            services = Services(settings=settings, momentum=cast(Any, None), pool=pool)
            waits = [asyncio.create_task(Context(services, None, 12).read_models_reached(None)) for _ in range(WAITING)]
            await asyncio.sleep(0.2)
            assert not any(w.done() for w in waits)  # sequence 5 is not 12
            _positions(settings, 12)
            before = Counter.statements
            services.reached.offer(Notice(settings.kafka_topic, 12, None))
            await asyncio.gather(*waits)
            return [services.reached.reached], Counter.statements - before

    reached, statements = asyncio.run(scenario())
    assert reached == [12]
    # one look after the notice (a backstop look may fall in too), not one per waiting request
    assert statements <= 3, statements


def test_a_wait_that_outlasts_its_bound_is_unavailable(settings: Settings) -> None:
    prepare_read_models(settings)
    _positions(settings, 5)

    async def scenario(wait_s: float, wanted: int) -> int:
        async with graphql_pool(settings) as pool:
            return await Services(settings=settings, momentum=cast(Any, None), pool=pool).reached.wait(wanted, wait_s)

    with pytest.raises(Unavailable, match="reached sequence 5, not yet 6"):
        asyncio.run(scenario(0.2, 6))
    with pytest.raises(Unavailable, match="reached sequence 5, not yet 6"):
        asyncio.run(scenario(0, 6))  # no waiting at all: one look
    assert asyncio.run(scenario(0, 5)) == 5


def test_a_notice_releases_the_waiters_while_the_requests_hold_every_pooled_connection(settings: Settings) -> None:
    prepare_read_models(settings)
    _positions(settings, 5)

    async def scenario() -> int:
        async with graphql_pool(settings, connections=1) as pool, pool.connection():  # the only one, held
            reached = Services(settings=settings, momentum=cast(Any, None), pool=pool).reached
            wait = asyncio.create_task(reached.wait(7, 30))
            await asyncio.sleep(0.1)
            _positions(settings, 7)
            reached.offer(Notice(settings.kafka_topic, 7, None))
            return await wait

    assert asyncio.run(scenario()) == 7


def test_notices_without_waiters_leave_the_watcher_its_connection(settings: Settings) -> None:
    prepare_read_models(settings)
    _positions(settings, 5)

    async def scenario() -> bool:
        async with graphql_pool(settings) as pool:
            reached = Services(settings=settings, momentum=cast(Any, None), pool=pool).reached
            await reached.wait(5, 5)
            _positions(settings, 6)
            await reached.wait(6, 5)
            kept = reached.conn
            for _ in range(3):  # a projector's notices while nobody waits
                reached.offer(Notice(settings.kafka_topic, 6, None))
                await asyncio.sleep(0.05)
            return kept is not None and reached.conn is kept and not kept.closed

    assert asyncio.run(scenario())
