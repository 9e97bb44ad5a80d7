"""PostgreSQL tables of the goal read model: batch writes for the projector."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from operator import attrgetter
from typing import Any

from psycopg import Cursor

from contracts.envelope import Envelope
from projections import sql
from projections.goals import fold as goals
from projections.goals.fold import (
    CheckInView,
    DialogueView,
    GoalState,
    GoalView,
    History,
    KeyResultView,
    RevisionView,
)
from projections.readmodel import ReadModel
from projections.views import create_table

DDL = create_table("goals", GoalView) + """ALTER TABLE goals ADD COLUMN IF NOT EXISTS check_in_cadence text NOT NULL
    DEFAULT 'weekly';  -- a goals table made before cadences existed (its goals are weekly)
CREATE INDEX IF NOT EXISTS goals_owner ON goals (owner_id);
CREATE INDEX IF NOT EXISTS goals_cycle ON goals (cycle_id, created_sequence);
CREATE INDEX IF NOT EXISTS goals_parent ON goals (parent_id);
CREATE TABLE IF NOT EXISTS goal_key_results (
    goal_id uuid NOT NULL,
    id text NOT NULL,
    position integer NOT NULL,
    title text NOT NULL,
    kind text NOT NULL,
    start_value double precision NOT NULL,
    target double precision NOT NULL,
    unit text NOT NULL,
    weight double precision NOT NULL,
    current_value double precision NOT NULL,
    progress double precision NOT NULL,
    confidence integer,
    check_in_count integer NOT NULL,
    last_check_in_at timestamptz,
    PRIMARY KEY (goal_id, id)
);
ALTER TABLE goal_key_results ADD COLUMN IF NOT EXISTS metric_key text;
CREATE TABLE IF NOT EXISTS goal_check_ins (
    goal_id uuid NOT NULL,
    version integer NOT NULL,
    key_result_id text,
    value double precision,
    progress double precision NOT NULL,
    confidence integer,
    note text NOT NULL,
    blockers text NOT NULL,
    actor text NOT NULL,
    recorded_at timestamptz NOT NULL,
    sequence bigint NOT NULL,
    PRIMARY KEY (goal_id, version)
);
CREATE TABLE IF NOT EXISTS goal_target_revisions (
    goal_id uuid NOT NULL,
    version integer NOT NULL,
    key_result_id text NOT NULL,
    previous_target double precision NOT NULL,
    target double precision NOT NULL,
    reason text NOT NULL,
    actor text NOT NULL,
    revised_at timestamptz NOT NULL,
    sequence bigint NOT NULL,
    PRIMARY KEY (goal_id, version)
);
CREATE TABLE IF NOT EXISTS goal_dialogue (
    goal_id uuid NOT NULL,
    version integer NOT NULL,
    kind text NOT NULL,
    text text NOT NULL,
    changes jsonb,
    actor text NOT NULL,
    at timestamptz NOT NULL,
    sequence bigint NOT NULL,
    PRIMARY KEY (goal_id, version)
);
"""

HISTORY_TABLES: dict[type, str] = {
    CheckInView: "goal_check_ins",
    RevisionView: "goal_target_revisions",
    DialogueView: "goal_dialogue",
}


class GoalEventsProjection:
    """A projection of goal events alone: `apply_goal_events` is given the batch's goal events."""

    def folds(self, event_type: str) -> bool:
        return event_type.startswith(goals.PREFIX)

    def apply(self, cur: Cursor[Any], events: list[Envelope]) -> None:
        relevant = [e for e in events if goals.handles(e)]
        if relevant:
            self.apply_goal_events(cur, relevant)

    def apply_goal_events(self, cur: Cursor[Any], events: list[Envelope]) -> None:
        raise NotImplementedError


class GoalProjection(GoalEventsProjection):
    """Applies a batch of envelopes inside the projector's transaction."""

    def apply_goal_events(self, cur: Cursor[Any], relevant: list[Envelope]) -> None:
        states = load(cur, {e["subject"] for e in relevant})
        history: list[History] = []
        for event in relevant:
            state, rows = goals.evolve(states.get(event["subject"]), event)
            states[event["subject"]] = state
            history += rows
        write(cur, states, history)


def load(cur: Cursor[Any], ids: Collection[str]) -> dict[str, GoalState]:
    """The stored state of each goal of `ids` that has a row (locked), its key results in the
    order they were added."""
    states = {g.id: GoalState(g) for g in sql.load(cur, "goals", GoalView, "id", ids)}
    results = sql.load(cur, "goal_key_results", KeyResultView, "goal_id", states, lock=False)
    for result in sorted(results, key=attrgetter("position")):
        states[result.goal_id].key_results[result.id] = result
    return states


def write(cur: Cursor[Any], states: dict[str, GoalState], history: list[History]) -> None:
    """Each goal's row and key results as `states` hold them, and the history rows added."""
    ordered = [states[k] for k in sorted(states)]
    sql.upsert(cur, "goals", [s.goal for s in ordered], ["id"])
    results = [r for s in ordered for r in s.key_results.values()]
    sql.upsert(cur, "goal_key_results", results, ["goal_id", "id"])
    added: dict[str, list[History]] = defaultdict(list)
    for row in history:
        added[HISTORY_TABLES[type(row)]].append(row)
    for table, rows in sorted(added.items()):
        sql.append(cur, table, rows)


def read_model() -> ReadModel:
    """At erasure a goal's rows are re-projected from its events (`goal_rows`): its text may be
    sealed under any of its owners' keys."""
    goal_rows = {
        "goals": "id", "goal_key_results": "goal_id", "goal_check_ins": "goal_id",
        "goal_target_revisions": "goal_id", "goal_dialogue": "goal_id",
    }
    return ReadModel("goals", tuple(goal_rows), DDL, GoalProjection(), goal_rows=goal_rows)
