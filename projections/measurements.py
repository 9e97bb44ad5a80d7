"""What the measurement consumer keeps beside the read models: its partition offsets on
`momentum.measurements`, and the dead letters, every measurement refused (from the topic or the
`recordMeasurements` mutation) with its reason and the bytes as received. A dead letter of the
topic is written in the transaction that moves its partition's offset past it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection, Cursor

from projections.views import values

DDL = """
CREATE TABLE IF NOT EXISTS measurement_positions (
    topic text NOT NULL,
    partition integer NOT NULL,
    next_offset bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);
CREATE TABLE IF NOT EXISTS measurement_dead_letters (
    id bigserial PRIMARY KEY,
    channel text NOT NULL,
    integration text,
    idempotency_key text,
    metric_key text,
    reason text NOT NULL,
    message text NOT NULL,
    payload bytea NOT NULL,
    topic text,
    partition integer,
    "offset" bigint,
    refused_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS measurement_dead_letters_reason ON measurement_dead_letters (reason);
"""


@dataclass(frozen=True)
class DeadLetter:
    """Text fields as PostgreSQL can hold them (the caller replaces NUL and lone surrogates)."""

    channel: str
    integration: str | None
    idempotency_key: str | None
    metric_key: str | None
    reason: str
    message: str
    payload: bytes
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None


BURY = (  # a DeadLetter's fields, in order
    'INSERT INTO measurement_dead_letters (channel, integration, idempotency_key, metric_key, reason, message, '
    'payload, topic, partition, "offset") VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)'
)


def bury(cur: Cursor[Any], letters: list[DeadLetter]) -> None:
    if letters:
        cur.executemany(BURY, [values(letter) for letter in letters])


async def bury_async(conn: AsyncConnection[Any], letters: list[DeadLetter]) -> None:
    """All of `letters` or none, in a transaction of their own (the API's pool is autocommit)."""
    if letters:
        async with conn.transaction(), conn.cursor() as cur:
            await cur.executemany(BURY, [values(letter) for letter in letters])


def lock_offsets(cur: Cursor[Any], topic: str, partitions: list[int]) -> dict[int, int]:
    """The next offset to handle per partition, locked for this transaction: a second consumer
    of a partition (during a rebalance) waits, then skips what the first handled."""
    cur.executemany(
        "INSERT INTO measurement_positions (topic, partition, next_offset) VALUES (%s, %s, 0) ON CONFLICT DO NOTHING",
        [(topic, p) for p in partitions],
    )
    cur.execute(
        "SELECT partition, next_offset FROM measurement_positions WHERE topic = %s AND partition = ANY(%s) "
        "ORDER BY partition FOR UPDATE",
        (topic, partitions),
    )
    return dict(cur.fetchall())


def save_offsets(cur: Cursor[Any], topic: str, offsets: dict[int, int]) -> None:
    cur.executemany(
        "UPDATE measurement_positions SET next_offset = %s, updated_at = now() WHERE topic = %s AND partition = %s",
        [(offset, topic, p) for p, offset in offsets.items()],
    )


async def refused_by_reason(conn: AsyncConnection[Any]) -> dict[str, int]:
    cur = await conn.execute("SELECT reason, count(*) FROM measurement_dead_letters GROUP BY reason ORDER BY reason")
    return {reason: int(n) for reason, n in await cur.fetchall()}
