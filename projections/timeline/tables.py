"""The goal_timeline table: every goal event, in order, with its change and the goal after it."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor
from psycopg.types.json import Jsonb

from contracts.envelope import Envelope
from projections import sql
from projections.goals import fold as goals
from projections.goals.fold import GoalState
from projections.readmodel import ReadModel
from projections.timeline import fold as timeline
from projections.views import values

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
    state jsonb NOT NULL,
    PRIMARY KEY (goal_id, version)
);
CREATE INDEX IF NOT EXISTS goal_timeline_actor ON goal_timeline (actor, sequence);
CREATE INDEX IF NOT EXISTS goal_timeline_cycle ON goal_timeline (cycle_id, sequence);
"""


class TimelineProjection:
    """Applies a batch of envelopes inside the projector's transaction; self-contained (the
    goal before each event is read from the goal's last timeline entry)."""

    def apply(self, cur: Cursor[Any], events: list[Envelope]) -> None:
        relevant = [e for e in events if goals.handles(e)]
        if not relevant:
            return
        states = self._latest(cur, sorted({e["subject"] for e in relevant}))
        entries = []
        for event in relevant:
            state, found = timeline.entry(states.get(event["subject"]), event)
            states[event["subject"]] = state
            if found is not None:
                entries.append(found)
        sql.insert_new(cur, "goal_timeline", entries, _row)

    @staticmethod
    def _latest(cur: Cursor[Any], ids: list[str]) -> dict[str, GoalState]:
        cur.execute(
            "SELECT DISTINCT ON (goal_id) goal_id::text, state FROM goal_timeline "
            "WHERE goal_id = ANY(%s::uuid[]) ORDER BY goal_id, version DESC",
            (ids,),
        )
        return {goal_id: timeline.state_from_json(state) for goal_id, state in cur.fetchall()}


def _row(entry: timeline.TimelineEntry) -> tuple[Any, ...]:
    return tuple(Jsonb(v) if isinstance(v, dict | list) else v for v in values(entry))


def read_model() -> ReadModel:
    return ReadModel("timeline", ("goal_timeline",), DDL, TimelineProjection(), goal_rows={"goal_timeline": "goal_id"})
