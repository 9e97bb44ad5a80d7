"""Redaction of a person's private content in the read models, at erasure. The projector redacts
too (a sealed field whose key is gone opens as REDACTED), so a rebuild after erasure matches."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor

REDACTED = "[erased]"  # = application.privacy.REDACTED; projections import no application code

# one statement per read-model column that holds a sealed field in clear; feedback adds its own
REDACTIONS = (
    "UPDATE goals SET description = %(redacted)s "
    "WHERE owner_kind = 'person' AND owner_id = %(person)s AND visibility = 'private'",
)


def redact_person(cur: Cursor[Any], person_id: str) -> None:
    for statement in REDACTIONS:
        cur.execute(statement, {"redacted": REDACTED, "person": person_id})  # type: ignore[arg-type]
