"""Directory and cycle queries: people, teams and cycles by id (every signed-in person may read them)."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection

from projections.sql import Row, fetch_all


async def people(conn: AsyncConnection[Any], ids: list[str]) -> list[Row]:
    return await fetch_all(conn, "SELECT * FROM people WHERE id = ANY(%s)", (ids,))


async def teams(conn: AsyncConnection[Any], ids: list[str]) -> list[Row]:
    return await fetch_all(conn, "SELECT * FROM teams WHERE id = ANY(%s)", (ids,))


async def people_where(conn: AsyncConnection[Any], values: list[str], *, column: str) -> list[Row]:
    """The people whose `column` is one of `values`, by id."""
    assert column in ("manager_id", "team_id")
    return await fetch_all(conn, f"SELECT * FROM people WHERE {column} = ANY(%s) ORDER BY id", (values,))


async def cycles(conn: AsyncConnection[Any], ids: list[str]) -> list[Row]:
    return await fetch_all(conn, "SELECT * FROM cycles WHERE aggregate_id = ANY(%s::uuid[])", (ids,))


async def service_account(conn: AsyncConnection[Any], account_id: str) -> Row | None:
    rows = await fetch_all(conn, "SELECT * FROM service_accounts WHERE id = %s", (account_id,))
    return rows[0] if rows else None
