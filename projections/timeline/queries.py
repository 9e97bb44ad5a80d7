"""Queries of the audit read model (goal_timeline), for GraphQL, exports and the audit page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from psycopg import AsyncConnection

from projections.sql import Row, conditions, fetch_all
from projections.timeline.fold import replayed_states

ENTRY_COLUMNS = "goal_id::text, version, sequence, at, actor, event_type, event, reason, changes, " \
    "owner_kind, owner_id, cycle_id::text"


@dataclass(frozen=True)
class Scope:
    """Which entries: of one goal, by one person (actor), or of one cycle's goals; a time range."""

    goal: str | None = None
    person: str | None = None
    cycle: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def where(self) -> str:
        return conditions(self, SCOPE_CLAUSES, "sequence > %(after)s")


SCOPE_CLAUSES = {  # the condition of each field of a Scope that is given
    "goal": "goal_id = %(goal)s::uuid",
    "person": "actor = %(person)s",
    "cycle": "cycle_id = %(cycle)s::uuid",
    "since": "at >= %(since)s",
    "until": "at < %(until)s",
}


async def entries(conn: AsyncConnection[Any], scope: Scope, *, after: int, limit: int) -> list[Row]:
    """Entries in global order (sequence) after the cursor `after`."""
    return await fetch_all(
        conn,
        f"SELECT {ENTRY_COLUMNS} FROM goal_timeline WHERE {scope.where()} ORDER BY sequence LIMIT %(limit)s",
        {**vars(scope), "after": after, "limit": limit},
    )


async def goal_owner(conn: AsyncConnection[Any], goal_id: str) -> Row | None:
    """The goal's owner after its last event, with the lead of an owning team."""
    rows = await fetch_all(
        conn,
        "SELECT t.owner_kind, t.owner_id, tm.lead_id FROM goal_timeline t "
        "LEFT JOIN teams tm ON t.owner_kind = 'team' AND tm.id = t.owner_id "
        "WHERE t.goal_id = %s::uuid ORDER BY t.version DESC LIMIT 1",
        (goal_id,),
    )
    return rows[0] if rows else None


async def goal_states(conn: AsyncConnection[Any], goal_id: str) -> list[Row]:
    """(version, at, state) of every version of the goal, for the audit page's chart."""
    rows = await fetch_all(
        conn, "SELECT goal_id::text, version, at, sequence, changes FROM goal_timeline WHERE goal_id = %s::uuid "
        "ORDER BY version", (goal_id,),
    )
    return with_states(goal_id, rows)


def with_states(goal_id: str, rows: list[Row]) -> list[Row]:
    """(goal_id, version, at, state) of each of a goal's first rows, in version order: the
    state replayed from the changes (no row stores it)."""
    states = replayed_states(goal_id, rows)
    return [{"goal_id": goal_id, "version": r["version"], "at": r["at"], "state": state}
            for r, state in zip(rows, states, strict=True)]


async def cycle_goal_ids(conn: AsyncConnection[Any], cycle_id: str) -> list[str]:
    rows = await fetch_all(
        conn, "SELECT DISTINCT goal_id::text AS id FROM goal_timeline WHERE cycle_id = %s::uuid", (cycle_id,)
    )
    return sorted(r["id"] for r in rows)


async def states_until(conn: AsyncConnection[Any], cycles: list[str], untimed: bool, until: datetime) -> list[Row]:
    """(goal_id, version, at, state) up to `until` of every goal that ever belonged to one of
    `cycles` (or, with `untimed`, to no cycle), oldest first: the history a progress series folds.
    A goal's times grow with its versions, so its rows up to `until` are its first versions,
    which its states are replayed from."""
    rows = await fetch_all(
        conn,
        "SELECT goal_id::text, version, at, sequence, changes FROM goal_timeline WHERE at <= %(until)s AND goal_id IN ("
        "SELECT goal_id FROM goal_timeline WHERE cycle_id = ANY(%(cycles)s::uuid[]) "
        "OR (%(untimed)s AND cycle_id IS NULL)) ORDER BY goal_id, version",
        {"cycles": cycles, "untimed": untimed, "until": until},
    )
    found = [row for goal_id, versions in groupby(rows, key=lambda r: str(r["goal_id"]))
             for row in with_states(goal_id, list(versions))]
    return sorted(found, key=lambda r: (r["at"], r["goal_id"], r["version"]))
