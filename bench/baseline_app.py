"""The raw baselines: a bare FastAPI app doing the least the real API must do."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

pool: AsyncConnectionPool[Any] = AsyncConnectionPool(os.environ["BENCH_DATABASE_URL"], min_size=2, max_size=20,
                                                     open=False)


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    await pool.open()
    async with pool.connection() as conn:
        await conn.execute("CREATE TABLE IF NOT EXISTS bench_writes (id bigserial PRIMARY KEY, body jsonb NOT NULL)")
    yield
    await pool.close()


app = FastAPI(lifespan=lifespan)


@app.get("/readyz")
async def ready() -> dict[str, str]:
    return {"status": "ready"}


@app.post("/write")
async def write(body: dict[str, Any]) -> dict[str, int]:
    """One INSERT + COMMIT."""
    async with pool.connection() as conn:
        cur = await conn.execute("INSERT INTO bench_writes (body) VALUES (%s::jsonb) RETURNING id",
                                 (json.dumps(body),))
        row = await cur.fetchone()
    return {"id": row[0] if row else 0}


@app.get("/goal/{goal_id}")
async def goal(goal_id: str) -> dict[str, Any]:
    """The same rows goal(id) with key results reads."""
    async with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute("SELECT * FROM goals WHERE id = %s::uuid", (goal_id,))
        row = await cur.fetchone()
        await cur.execute("SELECT * FROM goal_key_results WHERE goal_id = %s::uuid", (goal_id,))
        return {"goal": row, "key_results": await cur.fetchall()}


@app.get("/goals")
async def goals() -> list[dict[str, Any]]:
    """A page of 50 goals with their key results."""
    async with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute("SELECT * FROM goals ORDER BY last_sequence LIMIT 50")
        page = await cur.fetchall()
        await cur.execute("SELECT * FROM goal_key_results WHERE goal_id = ANY(%s)", ([g["id"] for g in page],))
        key_results = await cur.fetchall()
    return [{"goal": g, "key_results": [k for k in key_results if k["goal_id"] == g["id"]]} for g in page]
