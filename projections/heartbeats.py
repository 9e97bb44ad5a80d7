"""Each consumer process (relay, projector, awarder, reminders) beats in PostgreSQL while its loop runs;
`/readyz` names every kind whose last beat, by the database's clock, is older than
MOMENTUM_HEARTBEAT_TIMEOUT_SECONDS. A kind that never beat in this database is not expected."""

from __future__ import annotations

import os
import socket
import time
from typing import Any

from psycopg import AsyncConnection, Connection

DDL = """
CREATE TABLE IF NOT EXISTS process_heartbeats (
    kind text PRIMARY KEY,
    instance text NOT NULL,
    beat_at timestamptz NOT NULL DEFAULT now()
);
"""


class Heartbeat:
    """Beats for one process of `kind`, at most every `timeout / 4` seconds (and at most every 5)."""

    def __init__(self, kind: str, timeout_seconds: float) -> None:
        self.kind = kind
        self.instance = f"{socket.gethostname()}:{os.getpid()}"
        self.every = min(5.0, timeout_seconds / 4)
        self.last = -float("inf")

    def beat(self, conn: Connection[Any]) -> None:
        """On an autocommit connection."""
        if time.monotonic() - self.last < self.every:
            return
        conn.execute(
            "INSERT INTO process_heartbeats (kind, instance) VALUES (%s, %s) "
            "ON CONFLICT (kind) DO UPDATE SET instance = EXCLUDED.instance, beat_at = now()",
            (self.kind, self.instance),
        )
        self.last = time.monotonic()


async def silent_kinds(conn: AsyncConnection[Any], timeout_seconds: float) -> list[str]:
    """The kinds whose last beat is older than `timeout_seconds`."""
    cur = await conn.execute(
        "SELECT kind FROM process_heartbeats WHERE beat_at < now() - make_interval(secs => %s) ORDER BY kind",
        (timeout_seconds,),
    )
    return [row[0] for row in await cur.fetchall()]
