"""The quarantine: records of the topic that a fold could not apply, kept with the error, and
every later record of the same aggregate, parked in order until `momentum projections
quarantine retry` applies them. The record is kept as it came (bytes, sealed fields still
sealed): a NUL or an undecodable byte cannot stop it from being parked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection, Connection, Cursor

DDL = """
CREATE TABLE IF NOT EXISTS projection_quarantine (
    topic text NOT NULL,
    partition integer NOT NULL,
    "offset" bigint NOT NULL,
    aggregate_id text NOT NULL,
    sequence bigint,
    event_type text,
    record bytea NOT NULL,
    error text NOT NULL,
    parked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition, "offset")
);
CREATE INDEX IF NOT EXISTS projection_quarantine_aggregate ON projection_quarantine (topic, aggregate_id);
"""
COLUMNS = 'topic, partition, "offset", aggregate_id, sequence, event_type, record, error, parked_at'
ORDER = 'sequence NULLS LAST, partition, "offset"'


@dataclass(frozen=True)
class Parked:
    topic: str
    partition: int
    offset: int
    aggregate_id: str
    sequence: int | None
    event_type: str | None
    record: bytes
    error: str
    parked_at: datetime | None = None


def parked_aggregates(cur: Cursor[Any], topic: str, candidates: set[str]) -> set[str]:
    """Which of `candidates` have records in quarantine: their next records are parked too."""
    if not candidates:
        return set()
    cur.execute(
        "SELECT DISTINCT aggregate_id FROM projection_quarantine WHERE topic = %s AND aggregate_id = ANY(%s)",
        (topic, sorted(candidates)),
    )
    return {row[0] for row in cur.fetchall()}


def park(cur: Cursor[Any], parked: list[Parked]) -> None:
    if not parked:
        return
    cur.executemany(
        'INSERT INTO projection_quarantine (topic, partition, "offset", aggregate_id, sequence, event_type, '
        "record, error) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        [(p.topic, p.partition, p.offset, p.aggregate_id, p.sequence, p.event_type, p.record, p.error)
         for p in parked],
    )


def listed(conn: Connection[Any] | Cursor[Any], topic: str, aggregate_id: str | None = None) -> list[Parked]:
    """Parked records of `topic` (of one aggregate, if given), in the order they are retried."""
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM projection_quarantine WHERE topic = %s "
        f"AND (%s::text IS NULL OR aggregate_id = %s) ORDER BY aggregate_id, {ORDER}",
        (topic, aggregate_id, aggregate_id),
    ).fetchall()
    return [Parked(t, p, o, a, s, e, bytes(r), err, at) for t, p, o, a, s, e, r, err, at in rows]


def release(cur: Cursor[Any], parked: Parked) -> None:
    cur.execute(
        'DELETE FROM projection_quarantine WHERE topic = %s AND partition = %s AND "offset" = %s',
        (parked.topic, parked.partition, parked.offset),
    )


def note_error(cur: Cursor[Any], parked: Parked, error: str) -> None:
    cur.execute(
        'UPDATE projection_quarantine SET error = %s WHERE topic = %s AND partition = %s AND "offset" = %s',
        (error, parked.topic, parked.partition, parked.offset),
    )


async def count(conn: AsyncConnection[Any], topic: str) -> int:
    cur = await conn.execute("SELECT count(*) FROM projection_quarantine WHERE topic = %s", (topic,))
    row = await cur.fetchone()
    return int(row[0]) if row else 0
