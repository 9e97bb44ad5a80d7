"""`/readyz`: ready when the database answers and no consumer process has gone silent
(projections/heartbeats.py); otherwise 503 with the reason or the kinds that are down."""

from __future__ import annotations

from typing import Any

from psycopg_pool import AsyncConnectionPool

from projections.heartbeats import silent_kinds


async def readiness(pool: AsyncConnectionPool[Any], heartbeat_timeout_seconds: float) -> tuple[dict[str, Any], int]:
    """(body, status)."""
    try:
        async with pool.connection(timeout=2) as conn:
            down = await silent_kinds(conn, heartbeat_timeout_seconds)
    except Exception as error:  # any failure to reach the database means not ready
        return {"status": "unavailable", "reason": type(error).__name__}, 503
    if down:
        return {"status": "unavailable", "down": down}, 503
    return {"status": "ready"}, 200
