"""PostgreSQL tables of people, teams and cycles: batch writes for the projector."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor

from projections import sql
from projections.directory import (
    CYCLES,
    PEOPLE,
    TEAMS,
    CycleView,
    Envelope,
    Fold,
    PersonView,
    TeamView,
)

DDL = """
CREATE TABLE IF NOT EXISTS people (
    aggregate_id uuid PRIMARY KEY,
    id text NOT NULL UNIQUE,
    name text NOT NULL,
    email text NOT NULL,
    manager_id text,
    team_id text,
    active boolean NOT NULL,
    version integer NOT NULL,
    last_sequence bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS people_manager ON people (manager_id);
CREATE INDEX IF NOT EXISTS people_team ON people (team_id);
CREATE TABLE IF NOT EXISTS teams (
    aggregate_id uuid PRIMARY KEY,
    id text NOT NULL UNIQUE,
    name text NOT NULL,
    lead_id text,
    active boolean NOT NULL,
    version integer NOT NULL,
    last_sequence bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS cycles (
    aggregate_id uuid PRIMARY KEY,
    name text NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    closed boolean NOT NULL,
    status_reason text NOT NULL,
    version integer NOT NULL,
    last_sequence bigint NOT NULL
);
"""


class RowProjection:
    """One row per aggregate, folded by `fold`, upserted inside the projector's transaction."""

    def __init__(self, name: str, table: str, view_type: type[Any], fold: Fold) -> None:
        self.name = name
        self.table = table
        self.view_type = view_type
        self.fold = fold

    def apply(self, cur: Cursor[Any], events: list[Envelope]) -> None:
        relevant = [e for e in events if self.fold.handles(e)]
        if not relevant:
            return
        ids = {e["subject"] for e in relevant}
        views: dict[str, Any] = {
            v.aggregate_id: v
            for v in sql.load(cur, self.table, self.view_type, "aggregate_id", ids)
        }
        for event in relevant:
            views[event["subject"]] = self.fold.evolve(views.get(event["subject"]), event)
        sql.upsert(cur, self.table, [views[k] for k in sorted(views)], ["aggregate_id"])


def directory_projections() -> list[RowProjection]:
    return [
        RowProjection("people", "people", PersonView, PEOPLE),
        RowProjection("teams", "teams", TeamView, TEAMS),
        RowProjection("cycles", "cycles", CycleView, CYCLES),
    ]
