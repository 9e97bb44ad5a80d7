"""Redaction of a person's private content in the read models, at erasure. The projector redacts
too (a sealed field whose key is gone opens as REDACTED), so a rebuild after erasure matches."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor

REDACTED = "[erased]"  # = contracts.privacy.REDACTED; projections import no application code

# one statement per read-model column that holds a sealed field (contracts/private_events.py) in
# clear; a goal's read models are re-projected instead (consumers/erasure.py), with these rows
REDACTIONS = (
    "UPDATE feedback SET text = %(redacted)s WHERE author_id = %(person)s AND visibility <> 'public'",
    "UPDATE feedback_requests SET question = %(redacted)s WHERE requester_id = %(person)s",
)
# table → its goal id column: the rows of the goal projection, and of the timeline projection
GOAL_ROWS = {
    "goals": "id", "goal_key_results": "goal_id", "goal_check_ins": "goal_id",
    "goal_target_revisions": "goal_id", "goal_dialogue": "goal_id",
}
TIMELINE_ROWS = {"goal_timeline": "goal_id"}


def redact_person(cur: Cursor[Any], person_id: str) -> None:
    for statement in REDACTIONS:
        cur.execute(statement, {"redacted": REDACTED, "person": person_id})  # type: ignore[arg-type]


def projected_versions(cur: Cursor[Any], rows: dict[str, str], goal_ids: list[str]) -> dict[str, int]:
    """The version each goal's rows have reached (the first table's, which holds every goal event)."""
    table, column = next(iter(rows.items()))
    cur.execute(
        f"SELECT {column}::text, max(version) FROM {table} WHERE {column} = ANY(%s::uuid[]) GROUP BY {column}",
        (goal_ids,),
    )
    return {goal: int(version) for goal, version in cur.fetchall()}


def forget_goals(cur: Cursor[Any], rows: dict[str, str], goal_ids: list[str]) -> None:
    for table, column in rows.items():
        cur.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s::uuid[])", (goal_ids,))
