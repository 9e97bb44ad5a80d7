"""Redaction of a person's private content in the read models, at erasure. The projector redacts
too (a sealed field whose key is gone opens as REDACTED), so a rebuild after erasure matches."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor

REDACTED = "[erased]"  # = application.privacy.REDACTED; projections import no application code

# one statement per read-model column that holds a sealed field (application/private_events.py) in clear
REDACTIONS = (
    "UPDATE goals SET description = %(redacted)s "
    "WHERE owner_kind = 'person' AND owner_id = %(person)s AND visibility = 'private'",
    # the audit timeline keeps the goal's state and changed fields at every version
    """UPDATE goal_timeline SET
        state = jsonb_set(state, '{goal,description}', to_jsonb(%(redacted)s::text)),
        changes = (
            SELECT coalesce(jsonb_agg(CASE WHEN c->>'field' = 'description' THEN c || jsonb_build_object(
                'before', CASE WHEN c->'before' = 'null'::jsonb THEN c->'before' ELSE to_jsonb(%(redacted)s::text) END,
                'after', to_jsonb(%(redacted)s::text)) ELSE c END ORDER BY n), '[]'::jsonb)
            FROM jsonb_array_elements(changes) WITH ORDINALITY AS e(c, n))
    WHERE owner_kind = 'person' AND owner_id = %(person)s AND state->'goal'->>'visibility' = 'private'""",
    "UPDATE feedback SET text = %(redacted)s WHERE author_id = %(person)s AND visibility <> 'public'",
    "UPDATE feedback_requests SET question = %(redacted)s WHERE requester_id = %(person)s",
)


def redact_person(cur: Cursor[Any], person_id: str) -> None:
    for statement in REDACTIONS:
        cur.execute(statement, {"redacted": REDACTED, "person": person_id})  # type: ignore[arg-type]
