"""Per-person data keys in PostgreSQL (`person_keys`). Erasure deletes the key and keeps a
tombstone, so nothing is ever sealed again under a new key for an erased person."""

from __future__ import annotations

from typing import Any, Protocol

import psycopg
from eventsourcing.postgres import PostgresDatastore
from psycopg.rows import tuple_row

from contracts.privacy import new_key

LOCK_KEY = 7_202_612
DDL = """
CREATE TABLE IF NOT EXISTS person_keys (
    person_id text PRIMARY KEY,
    key bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    erased_at timestamptz
)"""


class KeyStore(Protocol):
    def key_for_sealing(self, person_id: str) -> bytes | None: ...

    def keys(self, person_ids: set[str]) -> dict[str, bytes]: ...


class MemoryKeyStore:
    def __init__(self) -> None:
        self.stored: dict[str, bytes | None] = {}

    def key_for_sealing(self, person_id: str) -> bytes | None:
        return self.stored.setdefault(person_id, new_key())

    def keys(self, person_ids: set[str]) -> dict[str, bytes]:
        return {p: k for p in person_ids if (k := self.stored.get(p)) is not None}

    def erase(self, person_id: str) -> None:
        self.stored[person_id] = None


class PostgresKeyStore:
    """No cache: an erasure in another process takes effect at the next read. Connections are
    borrowed from the event store's pool (autocommit), not opened per key."""

    def __init__(self, datastore: PostgresDatastore):
        self.datastore = datastore
        with datastore.get_connection() as conn:
            create_key_table(conn)

    def key_for_sealing(self, person_id: str) -> bytes | None:
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
            cur.execute(
                "INSERT INTO person_keys (person_id, key) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (person_id, new_key()),
            )
            row = cur.execute("SELECT key FROM person_keys WHERE person_id = %s", (person_id,)).fetchone()
        return bytes(row[0]) if row and row[0] is not None else None

    def keys(self, person_ids: set[str]) -> dict[str, bytes]:
        if not person_ids:
            return {}
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
            return read_keys(cur, person_ids)


def create_key_table(conn: psycopg.Connection[Any]) -> None:
    """Serialised: concurrent CREATE TABLE IF NOT EXISTS can fail when processes start together."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        conn.execute(DDL)


def read_keys(conn: psycopg.Connection[Any] | psycopg.Cursor[Any], person_ids: set[str]) -> dict[str, bytes]:
    if not person_ids:
        return {}
    rows = conn.execute(
        "SELECT person_id, key FROM person_keys WHERE person_id = ANY(%s) AND key IS NOT NULL",
        (sorted(person_ids),),
    ).fetchall()
    return {person: bytes(key) for person, key in rows}


def erase_key(conn: psycopg.Connection[Any], person_id: str) -> bool:
    """Forget the person's key; True if there was one."""
    row = conn.execute(
        "INSERT INTO person_keys (person_id, key, erased_at) VALUES (%s, NULL, now()) "
        "ON CONFLICT (person_id) DO UPDATE SET key = NULL, erased_at = coalesce(person_keys.erased_at, now()) "
        "RETURNING (xmax <> 0)",
        (person_id,),
    ).fetchone()
    return bool(row and row[0])
