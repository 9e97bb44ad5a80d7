"""Latency of each hop of the pipeline, as Prometheus histograms the API's /metrics shows.

The relay and the projector run in their own processes: each counts its hops' durations in
memory and adds them, at most once a second, to one row per hop of `pipeline_latencies`
(bucket counts, sum, count; cumulative since the table was made, like a Prometheus counter, and
summed over every process of a kind). The API reads the rows at each scrape."""

from __future__ import annotations

import bisect
import time
from typing import Any

from psycopg import AsyncConnection, Connection

# upper bounds in seconds, fine below 100 ms where the freshness target is
BUCKETS = (0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0,
           2.5, 5.0, 10.0)
# hop name -> what it measures (the help text of its histogram)
HOPS = {
    "relay_wakeup": "the relay: from a NOTIFY of the event store waking it to the new events read",
    "relay_transaction": "the relay: from opening a Kafka transaction to its commit",
    "relay_to_projector": "from the relay sending a record (its Kafka timestamp) to the projector's poll "
                          "returning it (the oldest record of each poll; wall clocks of two processes)",
    "projector_batch": "the projector: from its poll returning records to the read models committed and "
                       "the API notified",
}
DDL = """
CREATE TABLE IF NOT EXISTS pipeline_latencies (
    hop text PRIMARY KEY,
    bucket_counts bigint[] NOT NULL,
    sum_seconds double precision NOT NULL,
    count bigint NOT NULL
);
"""
FLUSH_EVERY_S = 1.0


class Latencies:
    """One process's observations not yet added to `pipeline_latencies`."""

    def __init__(self) -> None:
        self.pending: dict[str, tuple[list[int], float]] = {}
        self.flushed = time.monotonic()

    def observe(self, hop: str, seconds: float) -> None:
        counts, total = self.pending.get(hop) or ([0] * (len(BUCKETS) + 1), 0.0)
        counts[bisect.bisect_left(BUCKETS, seconds)] += 1
        self.pending[hop] = (counts, total + seconds)

    def flush(self, conn: Connection[Any], *, at_least_every: float = FLUSH_EVERY_S) -> None:
        """Add what was observed to the table (on an autocommit connection), at most every `at_least_every` s."""
        if not self.pending or time.monotonic() - self.flushed < at_least_every:
            return
        rows = [(hop, counts, total, sum(counts)) for hop, (counts, total) in self.pending.items()]
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO pipeline_latencies AS l (hop, bucket_counts, sum_seconds, count) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (hop) DO UPDATE SET "
                "bucket_counts = CASE WHEN cardinality(l.bucket_counts) = cardinality(EXCLUDED.bucket_counts) "
                "THEN ARRAY(SELECT a + b FROM unnest(l.bucket_counts, EXCLUDED.bucket_counts) WITH ORDINALITY "
                "AS t(a, b, i) ORDER BY i) ELSE EXCLUDED.bucket_counts END, "
                "sum_seconds = l.sum_seconds + EXCLUDED.sum_seconds, count = l.count + EXCLUDED.count",
                rows,
            )
        self.pending.clear()
        self.flushed = time.monotonic()


async def read(conn: AsyncConnection[Any]) -> list[tuple[str, list[int], float, int]]:
    """(hop, bucket counts, sum of seconds, count) of every hop measured so far."""
    cur = await conn.execute("SELECT hop, bucket_counts, sum_seconds, count FROM pipeline_latencies ORDER BY hop")
    return [(hop, list(counts), float(total), int(count)) for hop, counts, total, count in await cur.fetchall()]
