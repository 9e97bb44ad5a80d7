"""Each relay or projector process adds its hop latencies to `pipeline_latencies`; the rows are the
sums over processes and flushes, bucket by bucket, as the API's /metrics shows them."""

from __future__ import annotations

import asyncio

import psycopg

from bootstrap import prepare_read_models
from projections import latencies
from settings import Settings


def test_two_processes_flushing_the_same_hop_add_up_bucket_by_bucket(settings: Settings) -> None:
    prepare_read_models(settings)
    first, second = latencies.Latencies(), latencies.Latencies()
    first.observe("relay_transaction", 0.0015)
    first.observe("relay_transaction", 0.0015)
    second.observe("relay_transaction", 0.0015)
    second.observe("relay_transaction", 42.0)
    second.observe("projector_batch", 0.05)
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        first.flush(conn, at_least_every=0)
        second.flush(conn, at_least_every=0)
        first.flush(conn, at_least_every=0)  # nothing new: adds nothing
    rows = {hop: (counts, total, count) for hop, counts, total, count in asyncio.run(_read(settings))}
    counts, total, count = rows["relay_transaction"]
    assert count == 4 and abs(total - (3 * 0.0015 + 42.0)) < 1e-9
    assert counts[latencies.BUCKETS.index(0.002)] == 3 and counts[-1] == 1 and sum(counts) == 4
    counts, _, count = rows["projector_batch"]
    assert count == 1 and counts[latencies.BUCKETS.index(0.05)] == 1


async def _read(settings: Settings) -> list[tuple[str, list[int], float, int]]:
    async with await psycopg.AsyncConnection.connect(settings.database_url) as conn:
        return await latencies.read(conn)
