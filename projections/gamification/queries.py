"""Queries of the gamification facts: a person's facts, and counts per person over a period."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from psycopg import AsyncConnection

from projections.gamification.rules import Count, Fact

FACTS_OF_PEOPLE = (
    "SELECT event_id, person_id, kind, at, amount, sequence FROM gamification_facts "
    "WHERE person_id = ANY(%s) ORDER BY person_id, at, sequence, kind"
)


def grouped(rows: list[tuple[Any, ...]]) -> dict[str, list[Fact]]:
    found: dict[str, list[Fact]] = defaultdict(list)
    for row in rows:
        found[row[1]].append(_fact(row))
    return found


def _fact(row: tuple[Any, ...]) -> Fact:
    event_id, person, kind, at, amount, sequence = row
    return Fact(event_id, person, kind, at.astimezone(UTC), amount, sequence)


async def facts_of_people(conn: AsyncConnection[Any], people: list[str]) -> dict[str, list[Fact]]:
    cur = await conn.execute(FACTS_OF_PEOPLE, (people,))
    return grouped(await cur.fetchall())


async def counts_between(
    conn: AsyncConnection[Any], start: datetime, end: datetime, team: str | None
) -> dict[str, dict[str, Count]]:
    """Per registered person (of `team`, when given) and kind: facts, distinct UTC days, amount."""
    cur = await conn.execute(
        "SELECT f.person_id, f.kind, count(*), count(DISTINCT (f.at AT TIME ZONE 'UTC')::date), "
        "coalesce(sum(f.amount), 0) FROM gamification_facts f JOIN people p ON p.id = f.person_id "
        "WHERE f.at >= %s AND f.at < %s AND (%s::text IS NULL OR p.team_id = %s::text) "
        "GROUP BY f.person_id, f.kind",
        (start, end, team, team),
    )
    found: dict[str, dict[str, Count]] = defaultdict(dict)
    for person, kind, n, days, amount in await cur.fetchall():
        found[person][kind] = Count(int(n), int(days), int(amount))
    return found
