"""Erasure of a person: their data key is forgotten, so every sealed field of theirs (in the event
store, the topic, any copy) is unreadable; the read models' clear copies are redacted in the same
transaction, under the projector's partition locks, so no batch in flight can write them back."""

from __future__ import annotations

from typing import Any

import psycopg

from application.keys import create_key_table, erase_key
from projections.erasure import redact_person


def erase_person(conn: psycopg.Connection[Any], topic: str, person_id: str) -> bool:
    create_key_table(conn)
    with conn.transaction():
        conn.execute("SELECT 1 FROM projector_positions WHERE topic = %s ORDER BY partition FOR UPDATE", (topic,))
        had_key = erase_key(conn, person_id)
        with conn.cursor() as cur:
            redact_person(cur, person_id)
    return had_key
