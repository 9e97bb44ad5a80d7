"""Redaction of a person's private content in the read models, at erasure (each read model
declares its statements and its re-projected goal rows: projections/readmodel.py). The projector
redacts too (a sealed field whose key is gone opens as REDACTED), so a rebuild after erasure matches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from psycopg import Cursor

from contracts.privacy import REDACTED
from projections.readmodel import ReadModel


def redact_person(cur: Cursor[Any], read_models: Sequence[ReadModel], person_id: str) -> None:
    for statement in (s for model in read_models for s in model.redactions):
        cur.execute(statement, {"redacted": REDACTED, "person": person_id})  # type: ignore[arg-type]


def projected_versions(cur: Cursor[Any], rows: Mapping[str, str], goal_ids: list[str]) -> dict[str, int]:
    """The version each goal's rows have reached (the first table's, which holds every goal event)."""
    table, column = next(iter(rows.items()))
    cur.execute(
        f"SELECT {column}::text, max(version) FROM {table} WHERE {column} = ANY(%s::uuid[]) GROUP BY {column}",
        (goal_ids,),
    )
    return {goal: int(version) for goal, version in cur.fetchall()}


def forget_goals(cur: Cursor[Any], rows: Mapping[str, str], goal_ids: list[str]) -> None:
    for table, column in rows.items():
        cur.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s::uuid[])", (goal_ids,))
