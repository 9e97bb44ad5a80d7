"""A read model, declared once: its name, the tables it alone writes, the DDL that creates them,
the projection that folds envelopes into them, and what erasure does to them.
projections/catalog.py lists every read model; the projector, rebuild, erasure and schema
creation all read that one list (through bootstrap.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from psycopg import Cursor

from contracts.envelope import Envelope
from projections import sql
from projections.views import evolved


class Projection(Protocol):
    def apply(self, cur: Cursor[Any], events: list[Envelope]) -> None:
        """Folds a batch of envelopes (in sequence order) into the tables, in the caller's transaction."""


@dataclass(frozen=True)
class ReadModel:
    name: str  # what `momentum projections rebuild|verify NAME` names
    tables: tuple[str, ...]  # the tables it alone writes: a rebuild swaps them, verify compares them
    ddl: str  # creates exactly those tables and their indexes, idempotently
    projection: Projection
    # erasure: statements that redact a person's clear copies of sealed fields (%(person)s, %(redacted)s)
    redactions: tuple[str, ...] = ()
    # erasure: table → goal id column of rows re-projected from the goal's events (the first
    # table holds a row for every goal event version reached)
    goal_rows: Mapping[str, str] = field(default_factory=dict)

    def apply(self, cur: Cursor[Any], events: list[Envelope]) -> None:
        self.projection.apply(cur, events)

    def folds_any(self, types: Set[str]) -> bool:
        """Whether events of `types` can change its tables: a projection with a `folds(type)`
        tells; one without is always asked."""
        folds = getattr(self.projection, "folds", None)
        return folds is None or any(folds(str(t)) for t in types)


def row_model(
    name: str, view_type: type[Any], fold: Fold, ddl: str, redactions: tuple[str, ...] = ()
) -> ReadModel:
    """A read model of one row per aggregate, in a table named after the model."""
    return ReadModel(name, (name,), ddl, RowProjection(name, view_type, fold), redactions)


def row_table(table: str, columns: str) -> str:
    """The CREATE TABLE of a row model's table: the aggregate's id as its key, `columns` (column
    definitions, one a line), then the version and sequence of the last event folded, which
    RowProjection and Fold.evolve keep in every row."""
    return (
        f"CREATE TABLE IF NOT EXISTS {table} (\n    aggregate_id uuid PRIMARY KEY,\n{columns.strip(chr(10))},\n"
        "    version integer NOT NULL,\n    last_sequence bigint NOT NULL\n);\n"
    )


@dataclass(frozen=True)
class Fold:
    """How one aggregate type's events build its row."""

    aggregate: str
    evolvers: dict[str, Callable[[Any, Envelope], Any]]

    @cached_property
    def types(self) -> frozenset[str]:
        """`momentum.<aggregate>.<event>` of every event folded, without the version."""
        return frozenset(f"momentum.{self.aggregate}.{n}" for n in self.evolvers)

    def handles_type(self, event_type: str) -> bool:
        """Envelopes arrive upcast to the current version, so any version's name matches."""
        return event_type.rpartition(".")[0] in self.types

    def relevant(self, events: list[Envelope]) -> list[Envelope]:
        """The events of `events` it folds, in order (each type tested once per batch)."""
        wanted = {t for t in {e["type"] for e in events} if self.handles_type(str(t))}
        return [e for e in events if e["type"] in wanted]

    def evolve(self, view: Any, event: Envelope) -> Any:
        if view is not None and event["aggregateversion"] <= view.version:
            return view
        name = str(event["type"]).split(".")[2]
        changed = self.evolvers[name](view, event)
        return evolved(changed, version=event["aggregateversion"], last_sequence=event["sequence"])


class RowProjection:
    """One row per aggregate, folded by `fold`, upserted inside the projector's transaction."""

    def __init__(self, table: str, view_type: type[Any], fold: Fold) -> None:
        self.table = table
        self.view_type = view_type
        self.fold = fold

    def folds(self, event_type: str) -> bool:
        return self.fold.handles_type(event_type)

    def apply(self, cur: Cursor[Any], events: list[Envelope]) -> None:
        relevant = self.fold.relevant(events)
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
