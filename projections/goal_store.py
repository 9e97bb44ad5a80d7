"""PostgreSQL tables of the goal read model: batch writes for the projector, reads for the API."""

from __future__ import annotations

from dataclasses import astuple, fields
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection, Cursor
from psycopg.rows import dict_row

from projections import goals
from projections.goals import CheckInView, Envelope, GoalView

DDL = """
CREATE TABLE IF NOT EXISTS goals (
    id uuid PRIMARY KEY,
    title text NOT NULL,
    description text NOT NULL,
    owner_id text NOT NULL,
    owner_kind text NOT NULL,
    visibility text NOT NULL,
    status text NOT NULL,
    progress double precision NOT NULL,
    confidence integer,
    check_in_count integer NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    last_check_in_at timestamptz,
    version integer NOT NULL,
    last_sequence bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS goals_owner ON goals (owner_id);
CREATE TABLE IF NOT EXISTS goal_check_ins (
    goal_id uuid NOT NULL,
    version integer NOT NULL,
    progress double precision NOT NULL,
    confidence integer,
    note text NOT NULL,
    blockers text NOT NULL,
    actor text NOT NULL,
    recorded_at timestamptz NOT NULL,
    sequence bigint NOT NULL,
    PRIMARY KEY (goal_id, version)
);
"""

GOAL_COLUMNS = [f.name for f in fields(GoalView)]
CHECK_IN_COLUMNS = [f.name for f in fields(CheckInView)]
TIME_COLUMNS = {"created_at", "updated_at", "last_check_in_at", "recorded_at"}


def _upsert_statement() -> str:
    columns = ", ".join(GOAL_COLUMNS)
    values = ", ".join(["%s"] * len(GOAL_COLUMNS))
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in GOAL_COLUMNS if c != "id")
    return (
        f"INSERT INTO goals ({columns}) VALUES ({values}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates}"
    )


UPSERT_GOAL = _upsert_statement()
INSERT_CHECK_IN = (
    f"INSERT INTO goal_check_ins ({', '.join(CHECK_IN_COLUMNS)}) "
    f"VALUES ({', '.join(['%s'] * len(CHECK_IN_COLUMNS))}) ON CONFLICT DO NOTHING"
)


def _iso(value: Any) -> Any:
    return value.isoformat().replace("+00:00", "Z") if isinstance(value, datetime) else value


def _goal_view(row: dict[str, Any]) -> GoalView:
    return GoalView(**{c: _iso(row[c]) if c in TIME_COLUMNS else row[c] for c in GOAL_COLUMNS})


class GoalProjection:
    """Applies a batch of envelopes inside the projector's transaction."""

    name = "goals"

    def apply(self, cur: Cursor[Any], events: list[Envelope]) -> None:
        relevant = [e for e in events if goals.handles(e)]
        if not relevant:
            return
        views = self._load(cur, {e["subject"] for e in relevant})
        check_ins = []
        for event in relevant:
            views[event["subject"]] = goals.evolve(views.get(event["subject"]), event)
            row = goals.check_in(event)
            if row is not None:
                check_ins.append(astuple(row))
        cur.executemany(UPSERT_GOAL, [astuple(v) for v in views.values()])
        if check_ins:
            cur.executemany(INSERT_CHECK_IN, check_ins)

    @staticmethod
    def _load(cur: Cursor[Any], ids: set[str]) -> dict[str, GoalView]:
        cur.execute(
            f"SELECT {', '.join(GOAL_COLUMNS)} FROM goals WHERE id = ANY(%s::uuid[]) FOR UPDATE",
            (list(ids),),
        )
        columns = [d.name for d in cur.description or []]
        views = (_goal_view(dict(zip(columns, row, strict=True))) for row in cur.fetchall())
        return {str(v.id): v for v in views}


class GoalReader:
    """Queries the API serves from the goal read model."""

    async def goal(self, conn: AsyncConnection[Any], goal_id: str) -> dict[str, Any] | None:
        async with conn.cursor(row_factory=dict_row) as cur:
            await cur.execute("SELECT * FROM goals WHERE id = %s::uuid", (goal_id,))
            return await cur.fetchone()

    async def check_ins(self, conn: AsyncConnection[Any], goal_id: str) -> list[dict[str, Any]]:
        async with conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(
                "SELECT * FROM goal_check_ins WHERE goal_id = %s::uuid ORDER BY version",
                (goal_id,),
            )
            return await cur.fetchall()
