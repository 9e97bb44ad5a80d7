"""Where the relay and the projector stand, kept in PostgreSQL beside the read models.

`projector_positions` holds, per partition, the next offset to apply (written in the same
transaction as the read-model change) and `safe_sequence`: every event of that partition
with a sequence up to it has been applied. The minimum over all partitions is the sequence
the read models have reached, which the API waits for to give read-your-writes.

`relay_positions` holds the sequence the relay has published and, from the same transaction,
`partition_ends` (the end offset of each partition after it, indexed by partition from 0) with
`ends_sequence`: a partition read up to its end holds every event up to that sequence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
ALTER TABLE relay_positions ADD COLUMN IF NOT EXISTS partition_ends bigint[];
ALTER TABLE relay_positions ADD COLUMN IF NOT EXISTS ends_sequence bigint;
"""


def record_relay_tail(conn: Connection[Any], topic: str, sequence: int, ends: Sequence[int | None]) -> None:
    """The relay has published up to `sequence`, and partition p ends at `ends[p]` (None: unknown)."""
    conn.execute(
        "INSERT INTO relay_positions (topic, sequence, partition_ends, ends_sequence) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (topic) DO UPDATE SET sequence = EXCLUDED.sequence, partition_ends = EXCLUDED.partition_ends, "
        "ends_sequence = EXCLUDED.ends_sequence, updated_at = now()",
        (topic, sequence, list(ends), sequence),
        prepare=True,
    )


@dataclass(frozen=True)
class RelayTail:
    """What the relay recorded: every event up to `sequence` lies below `ends[partition]`."""

    sequence: int
    ends: dict[int, int]

    def drained(self, partition: int, next_offset: int) -> bool:
        """Whether a partition read up to `next_offset` holds every event up to `sequence`."""
        end = self.ends.get(partition)
        return end is not None and next_offset >= end

    def behind(self, partition: int, next_offset: int) -> bool:
        """Whether the partition was read past its recorded end: the relay has committed a newer
        transaction and not yet recorded its tail, which will raise the partitions it left alone."""
        end = self.ends.get(partition)
        return end is not None and next_offset > end


def stored_offsets(
    conn: Connection[Any], topic: str, *, table: str = "projector_positions", schema: str | None = None
) -> dict[int, int]:
    """Partition → the next offset to apply, of each partition with a stored position in `table`
    (the projector's, a rebuild's in its `schema`, or the measurement consumer's)."""
    name = Identifier(table) if schema is None else Identifier(schema, table)
    rows = conn.execute(SQL("SELECT partition, next_offset FROM {} WHERE topic = %s").format(name), (topic,))
    return {int(partition): int(offset) for partition, offset in rows.fetchall()}


LOCK = (
    "SELECT p.partition, p.next_offset, p.safe_sequence, r.ends_sequence, r.partition_ends[p.partition + 1] "
    "FROM projector_positions p LEFT JOIN relay_positions r ON r.topic = p.topic "
    "WHERE p.topic = %s AND p.partition = ANY(%s) ORDER BY p.partition FOR UPDATE OF p"
)


def lock_partitions_with_relay_tail(
    cur: Cursor[Any], topic: str, partitions: list[int]
) -> tuple[dict[int, tuple[int, int]], RelayTail]:
    """(next_offset, safe_sequence) per partition, locked for this transaction, and the relay's
    recorded tail, read in the same statement (the relay's row is not locked)."""
    rows = cur.execute(LOCK, (topic, partitions), prepare=True).fetchall()
    if len(rows) < len(partitions):
        cur.executemany(
            "INSERT INTO projector_positions (topic, partition, next_offset, safe_sequence) "
            "VALUES (%s, %s, 0, 0) ON CONFLICT DO NOTHING",
            [(topic, p) for p in partitions],
        )
        rows = cur.execute(LOCK, (topic, partitions)).fetchall()
    stored = {p: (offset, safe) for p, offset, safe, _, _ in rows}
    sequence = next((ends_sequence for _, _, _, ends_sequence, _ in rows if ends_sequence is not None), 0)
    ends = {p: end for p, _, _, _, end in rows if end is not None}
    return stored, RelayTail(sequence, ends if sequence else {})


def lock_partitions(cur: Cursor[Any], topic: str, partitions: list[int]) -> dict[int, tuple[int, int]]:
    """(next_offset, safe_sequence) per partition, locked for this transaction."""
    return lock_partitions_with_relay_tail(cur, topic, partitions)[0]


SAVE = (
    "UPDATE projector_positions AS p SET next_offset = v.next_offset, safe_sequence = v.safe_sequence, "
    "updated_at = now() FROM unnest(%s::integer[], %s::bigint[], %s::bigint[]) AS v(partition, next_offset, "
    "safe_sequence) WHERE p.topic = %s AND p.partition = v.partition"
)


def _saved(topic: str, positions: dict[int, tuple[int, int]]) -> tuple[Any, ...]:
    partitions = sorted(positions)
    return (partitions, [positions[p][0] for p in partitions], [positions[p][1] for p in partitions],
            topic)


def save_partitions(cur: Cursor[Any], topic: str, positions: dict[int, tuple[int, int]]) -> None:
    cur.execute(SAVE, _saved(topic, positions))


def save_partitions_and_notify(
    cur: Cursor[Any], topic: str, positions: dict[int, tuple[int, int]], channel: str, payload: str
) -> None:
    """save_partitions and a NOTIFY sent at commit, in one statement (one round trip)."""
    cur.execute(f"WITH saved AS ({SAVE}) SELECT pg_notify(%s, %s)", (*_saved(topic, positions), channel, payload),
                prepare=True)


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
