"""The API's pool on the real PostgreSQL: a connection whose backend was terminated while it sat
idle is replaced before a request gets it, although a connection nothing happened to is handed
out without a round trip; its connections are autocommit, so what writes through it opens a
transaction of its own."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import psycopg
import pytest

from api.auth import issue_token
from bootstrap import API_POOL_NAME, build_api, build_api_pool, prepare_read_models
from projections import measurements
from settings import Settings
from tests.integration.readside import Counter, CountingCursor
from tests.superuser import as_superuser

GOALS = "query { goals(first: 5) { edges { node { id } } } }"


def terminate_api_backends(settings: Settings) -> int:
    """Ends every backend of the API's pool in this database, waiting (up to 5 s each) until it is gone."""
    ended = as_superuser(settings, (
        "WITH api AS MATERIALIZED (SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        f"AND application_name = '{API_POOL_NAME}') SELECT count(*) FROM api WHERE pg_terminate_backend(pid, 5000)"
    ))
    return int(ended)


def test_a_request_after_the_pools_backends_were_terminated_is_answered(settings: Settings) -> None:
    app, token = build_api(settings), issue_token(settings, "ada", [])

    async def run() -> list[dict[str, Any]]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
                async def ask() -> dict[str, Any]:
                    response = await http.post("/graphql", json={"query": GOALS},
                                               headers={"Authorization": f"Bearer {token}"})
                    assert response.status_code == 200
                    return dict(response.json())

                before = await ask()
                assert terminate_api_backends(settings) >= 1
                return [before, await ask(), await ask()]

    answers = asyncio.run(run())
    assert answers == [{"data": {"goals": {"edges": []}}}] * 3


async def _count(conn: psycopg.AsyncConnection[Any]) -> None:
    conn.cursor_factory = CountingCursor


def test_an_idle_connection_nothing_happened_to_is_handed_out_without_a_round_trip(settings: Settings) -> None:
    async def run() -> int:
        async with build_api_pool(settings, min_size=1, max_size=1, configure=_count) as pool:
            await pool.wait()
            Counter.statements = 0
            for _ in range(3):
                async with pool.connection() as conn:
                    await conn.execute("SELECT 1")
            return Counter.statements

    assert asyncio.run(run()) == 3


def _letter(**changed: Any) -> measurements.DeadLetter:
    fields: dict[str, Any] = {"channel": "api", "integration": "crm", "idempotency_key": "k1", "metric_key": "deals",
                              "reason": "unknown_metric", "message": "no such metric", "payload": b"{}"}
    return measurements.DeadLetter(**{**fields, **changed})


def test_the_dead_letters_of_one_request_are_stored_all_or_none(settings: Settings) -> None:
    prepare_read_models(settings)

    async def run() -> int:
        async with build_api_pool(settings, min_size=1, max_size=1) as pool, pool.connection() as conn:
            with pytest.raises(psycopg.DataError):  # psycopg refuses to send the second: the first was sent
                await measurements.bury_async(conn, [_letter(), _letter(message="\x00")])
            cur = await conn.execute("SELECT count(*) FROM measurement_dead_letters")
            row = await cur.fetchone()
            return int(row[0]) if row else -1

    assert asyncio.run(run()) == 0
