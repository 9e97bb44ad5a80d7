"""Where the relay and the projector stand, kept in PostgreSQL beside the read models.

`projector_positions` holds, per partition, the next offset to apply (written in the same
transaction as the read-model change) and `safe_sequence`: every event of that partition
with a sequence up to it has been applied. The minimum over all partitions is the sequence
the read models have reached, which the API waits for to give read-your-writes."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection, Connection, Cursor
from psycopg.sql import SQL, Identifier

DDL = """
CREATE TABLE IF NOT EXISTS relay_positions (
    topic text PRIMARY KEY,
    sequence bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS projector_positions (
    topic text NOT NULL,
    partition integer NOT NULL,
    next_offset bigint NOT NULL,
    safe_sequence bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);
"""


def record_relay_position(conn: Connection[Any], topic: str, sequence: int) -> None:
    conn.execute(
        "INSERT INTO relay_positions (topic, sequence) VALUES (%s, %s) "
        "ON CONFLICT (topic) DO UPDATE SET sequence = EXCLUDED.sequence, updated_at = now()",
        (topic, sequence),
    )


def relay_position(conn: Connection[Any], topic: str) -> int:
    row = conn.execute("SELECT sequence FROM relay_positions WHERE topic = %s", (topic,)).fetchone()
    return int(row[0]) if row else 0


def stored_offsets(
    conn: Connection[Any], topic: str, *, table: str = "projector_positions", schema: str | None = None
) -> dict[int, int]:
    """Partition → the next offset to apply, of each partition with a stored position in `table`
    (the projector's, a rebuild's in its `schema`, or the measurement consumer's)."""
    name = Identifier(table) if schema is None else Identifier(schema, table)
    rows = conn.execute(SQL("SELECT partition, next_offset FROM {} WHERE topic = %s").format(name), (topic,))
    return {int(partition): int(offset) for partition, offset in rows.fetchall()}


def lock_partitions(cur: Cursor[Any], topic: str, partitions: list[int]) -> dict[int, tuple[int, int]]:
    """(next_offset, safe_sequence) per partition, locked for this transaction."""
    cur.executemany(
        "INSERT INTO projector_positions (topic, partition, next_offset, safe_sequence) "
        "VALUES (%s, %s, 0, 0) ON CONFLICT DO NOTHING",
        [(topic, p) for p in partitions],
    )
    cur.execute(
        "SELECT partition, next_offset, safe_sequence FROM projector_positions "
        "WHERE topic = %s AND partition = ANY(%s) ORDER BY partition FOR UPDATE",
        (topic, partitions),
    )
    return {p: (offset, safe) for p, offset, safe in cur.fetchall()}


def save_partitions(cur: Cursor[Any], topic: str, positions: dict[int, tuple[int, int]]) -> None:
    cur.executemany(
        "UPDATE projector_positions SET next_offset = %s, safe_sequence = %s, updated_at = now() "
        "WHERE topic = %s AND partition = %s",
        [(offset, safe, topic, p) for p, (offset, safe) in positions.items()],
    )


REACHED = "SELECT count(*), coalesce(min(safe_sequence), 0) FROM projector_positions WHERE topic = %s"


async def reached_sequence(conn: AsyncConnection[Any], topic: str, partitions: int) -> int:
    """The sequence every read model has reached; 0 until every partition has a position."""
    cur = await conn.execute(REACHED, (topic,))
    return _reached(await cur.fetchone(), partitions)


def reached_sequence_now(conn: Connection[Any], topic: str, partitions: int) -> int:
    """reached_sequence, for blocking callers."""
    return _reached(conn.execute(REACHED, (topic,)).fetchone(), partitions)


def _reached(row: Any, partitions: int) -> int:
    assert row is not None
    count, low = row
    return int(low) if count >= partitions else 0
