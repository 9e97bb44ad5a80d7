"""The goal_timeline table: every goal event, in order, with its change; and goal_timeline_heads,
the goal after its last event (what the next event's change is computed from). The goal after
any earlier event is replayed from the changes (fold.replayed_states), so no row stores it."""

from __future__ import annotations

from typing import Any

import orjson
from psycopg import Cursor

from contracts.envelope import Envelope
from projections import sql
from projections.goals.fold import GoalState
from projections.goals.tables import GoalEventsProjection
from projections.readmodel import ReadModel
from projections.timeline import fold as timeline
from projections.views import columns, values

DDL = """
CREATE TABLE IF NOT EXISTS goal_timeline (
    goal_id uuid NOT NULL,
    version integer NOT NULL,
    sequence bigint NOT NULL,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    event_type text NOT NULL,
    event text NOT NULL,
    reason text NOT NULL,
    changes jsonb NOT NULL,
    owner_kind text NOT NULL,
    owner_id text NOT NULL,
    cycle_id uuid,
    PRIMARY KEY (goal_id, version)
);
ALTER TABLE goal_timeline DROP COLUMN IF EXISTS state;
CREATE TABLE IF NOT EXISTS goal_timeline_heads (
    goal_id uuid PRIMARY KEY,
    state jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS goal_timeline_actor ON goal_timeline (actor, sequence);
CREATE INDEX IF NOT EXISTS goal_timeline_cycle ON goal_timeline (cycle_id, sequence);
"""
CHANGES = columns(timeline.TimelineEntry).index("changes")


class TimelineProjection(GoalEventsProjection):
    """Applies a batch of envelopes inside the projector's transaction; self-contained (the
    goal before the batch is read from its head, written once per batch)."""

    def apply_goal_events(self, cur: Cursor[Any], relevant: list[Envelope]) -> None:
        heads = load_heads(cur, sorted({e["subject"] for e in relevant}))
        entries = []
        for event in relevant:
            heads[event["subject"]], found = timeline.entry(heads.get(event["subject"]), event)
            if found is not None:
                entries.append(found)
        write(cur, entries, heads)


def load_heads(cur: Cursor[Any], ids: list[str]) -> dict[str, GoalState]:
    """The goal after its last timeline entry, for each goal of `ids` that has one (locked)."""
    cur.execute(
        "SELECT goal_id::text, state FROM goal_timeline_heads WHERE goal_id = ANY(%s::uuid[]) "
        "ORDER BY goal_id FOR UPDATE",
        (ids,),
    )
    states = {goal_id: timeline.state_from_json(state) for goal_id, state in cur.fetchall()}
    return states | _replayed(cur, [i for i in ids if i not in states])


def write(cur: Cursor[Any], entries: list[timeline.TimelineEntry], heads: dict[str, GoalState]) -> None:
    """The entries added, and the head of each goal they moved."""
    sql.append(cur, "goal_timeline", entries, _row)
    cur.executemany(
        "INSERT INTO goal_timeline_heads VALUES (%s, %s) "
        "ON CONFLICT (goal_id) DO UPDATE SET state = EXCLUDED.state",
        [(goal, sql.jsonb(timeline.state_to_json(heads[goal]))) for goal in sorted({e.goal_id for e in entries})],
    )


def _replayed(cur: Cursor[Any], ids: list[str]) -> dict[str, GoalState]:
    """Heads of goals that have timeline rows but no head (rows written before heads existed),
    replayed from their changes; a new goal has neither."""
    if not ids:
        return {}
    cur.execute(
        "SELECT goal_id::text, version, at, sequence, changes FROM goal_timeline "
        "WHERE goal_id = ANY(%s::uuid[]) ORDER BY goal_id, version",
        (ids,),
    )
    rows: dict[str, list[dict[str, Any]]] = {}
    for goal_id, version, at, sequence, changed in cur.fetchall():
        rows.setdefault(goal_id, []).append({"version": version, "at": at, "sequence": sequence, "changes": changed})
    return {goal_id: timeline.state_from_json(list(timeline.replayed_states(goal_id, found))[-1])
            for goal_id, found in rows.items()}


def _row(entry: timeline.TimelineEntry) -> tuple[Any, ...]:
    """The entry's COPY row, its changes as JSON text (COPY's text format hands PostgreSQL every
    value as text: the same jsonb as a Jsonb parameter, without psycopg's Python dumper per row)."""
    row = values(entry)
    return (*row[:CHANGES], orjson.dumps(entry.changes).decode(), *row[CHANGES + 1:])


def read_model() -> ReadModel:
    goal_rows = {"goal_timeline": "goal_id", "goal_timeline_heads": "goal_id"}
    return ReadModel("timeline", tuple(goal_rows), DDL, TimelineProjection(), goal_rows=goal_rows)
