"""The read models of gamification facts and awarded achievements."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor

from contracts.envelope import Envelope
from projections import sql
from projections.gamification.fold import (
    ACHIEVEMENTS,
    ONCE,
    AchievementView,
    GoalOwners,
    awarded_once,
    facts_of,
    track_owner,
)
from projections.gamification.rules import Fact
from projections.readmodel import ReadModel, row_model, row_table

GAMIFICATION_FACTS_DDL = """
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
"""

GAMIFICATION_GOAL_OWNERS_DDL = """
CREATE TABLE IF NOT EXISTS gamification_goal_owners (
    goal_id text PRIMARY KEY,
    owner_kind text NOT NULL,
    owner_id text NOT NULL,
    version integer NOT NULL
);
"""

ACHIEVEMENTS_DDL = row_table("achievements", """
    person_id text NOT NULL UNIQUE,
    badges jsonb NOT NULL,
    level integer NOT NULL
""")


class GamificationProjection:
    """Facts, one per rewarded event; rules are applied when the facts are read."""

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
        # a fact of a kind in ONCE is kept once per key: the batch's first, unless one is stored
        sql.insert_new(
            cur, "gamification_facts", awarded_once(facts),
            where="NOT (f.kind = ANY(%s) AND EXISTS (SELECT 1 FROM gamification_facts g "
                  "WHERE g.event_id = f.event_id AND g.kind = f.kind))",
            params=[sorted(ONCE)],
        )


def read_models() -> list[ReadModel]:
    return [
        ReadModel("gamification", ("gamification_facts", "gamification_goal_owners"),
                  GAMIFICATION_FACTS_DDL + GAMIFICATION_GOAL_OWNERS_DDL, GamificationProjection()),
        row_model("achievements", AchievementView, ACHIEVEMENTS, ACHIEVEMENTS_DDL),
    ]


