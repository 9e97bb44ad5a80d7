"""PostgreSQL tables of gamification facts and awarded achievements, and their queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from psycopg import AsyncConnection, Cursor

from projections import sql
from projections.directory import Envelope, Fold
from projections.directory_store import RowProjection
from projections.gamification.facts import ONCE, GoalOwners, awarded_once, facts_of, once_keys, track_owner
from projections.gamification.rules import Count, Fact
from projections.views import evolved

DDL = """
CREATE TABLE IF NOT EXISTS gamification_facts (
    event_id text NOT NULL,
    person_id text NOT NULL,
    kind text NOT NULL,
    at timestamptz NOT NULL,
    amount integer NOT NULL,
    sequence bigint NOT NULL,
    PRIMARY KEY (event_id, person_id, kind)
);
CREATE INDEX IF NOT EXISTS gamification_facts_person ON gamification_facts (person_id, at);
CREATE INDEX IF NOT EXISTS gamification_facts_at ON gamification_facts (at);
CREATE INDEX IF NOT EXISTS gamification_facts_sequence ON gamification_facts (sequence);
CREATE TABLE IF NOT EXISTS gamification_goal_owners (
    goal_id text PRIMARY KEY,
    owner_kind text NOT NULL,
    owner_id text NOT NULL,
    version integer NOT NULL
);
CREATE TABLE IF NOT EXISTS achievements (
    aggregate_id uuid PRIMARY KEY,
    person_id text NOT NULL UNIQUE,
    badges jsonb NOT NULL,
    level integer NOT NULL,
    version integer NOT NULL,
    last_sequence bigint NOT NULL
);
"""


class GamificationProjection:
    """Facts, one per rewarded event; rules are applied when the facts are read."""

    name = "gamification"
    tables = ("gamification_facts", "gamification_goal_owners")  # achievements has its own projection

    def apply(self, cur: Cursor[Any], events: list[Envelope]) -> None:
        goals = sorted({e["subject"] for e in events if e["type"].startswith("momentum.goal.")})
        owners: GoalOwners = {}
        if goals:
            cur.execute(
                "SELECT goal_id, owner_kind, owner_id, version FROM gamification_goal_owners "
                "WHERE goal_id = ANY(%s) ORDER BY goal_id FOR UPDATE",
                (goals,),
            )
            owners = {g: (k, o, v) for g, k, o, v in cur.fetchall()}
        changed: set[str] = set()
        facts: list[Fact] = []
        for event in events:
            if track_owner(owners, event):
                changed.add(event["subject"])
            facts += facts_of(event, owners)
        cur.executemany(
            "INSERT INTO gamification_goal_owners VALUES (%s, %s, %s, %s) ON CONFLICT (goal_id) DO UPDATE "
            "SET owner_kind = EXCLUDED.owner_kind, owner_id = EXCLUDED.owner_id, version = EXCLUDED.version",
            [(g, *owners[g]) for g in sorted(changed)],
        )
        sql.insert_new(cur, "gamification_facts", awarded_once(facts, _taken(cur, once_keys(facts))))


def _taken(cur: Cursor[Any], keys: list[str]) -> set[tuple[str, str]]:
    if not keys:
        return set()
    cur.execute(
        "SELECT event_id, kind FROM gamification_facts WHERE event_id = ANY(%s) AND kind = ANY(%s)",
        (keys, sorted(ONCE)),
    )
    return {(event_id, kind) for event_id, kind in cur.fetchall()}


@dataclass(frozen=True)
class AchievementView:
    aggregate_id: str
    person_id: str
    badges: dict[str, Any]  # badge id → earned at
    level: int
    version: int
    last_sequence: int


ACHIEVEMENTS = Fold(
    "achievements",
    {
        "Started": lambda _, e: AchievementView(e["subject"], e["data"]["person_id"], {}, 0, 0, 0),
        "BadgeAwarded": lambda v, e: evolved(v, badges={**v.badges, e["data"]["badge"]: e["data"]["earned_at"]}),
        "BadgeWithdrawn": lambda v, e: evolved(
            v, badges={k: t for k, t in v.badges.items() if k != e["data"]["badge"]}
        ),
        "LevelReached": lambda v, e: evolved(v, level=e["data"]["level"]),
    },
)


def gamification_projections() -> list[Any]:
    return [GamificationProjection(), RowProjection("achievements", "achievements", AchievementView, ACHIEVEMENTS)]


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
