"""The projector: a consumer-group member that applies the topic to the read models.

Every batch is applied in one PostgreSQL transaction together with the partition
positions, so a crash at any moment is followed by a restart exactly where the last commit
left off; records below a stored position are skipped, so a rebalance cannot apply one twice.
An event a fold cannot apply is parked with its aggregate's later events (consumers/quarantine.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from kafka import KafkaConsumer
from kafka.errors import KafkaError

from consumers import kafka_records
from consumers.group import Records, SeekToStoredOffsets, consume, group_member
from consumers.quarantine import Received, fold_or_park
from consumers.sessions import TopicWorker
from projections import notices, positions
from projections.batch import Batched
from projections.latencies import Latencies
from projections.readmodel import ReadModel
from settings import Settings

RECOVERABLE = (KafkaError, psycopg.OperationalError, TimeoutError, OSError)


class Projector(TopicWorker):
    name, recoverable = "projector", RECOVERABLE

    def __init__(
        self,
        settings: Settings,
        connect: Callable[[], psycopg.Connection[Any]],
        projections: Sequence[ReadModel],
    ):
        super().__init__(settings, connect)
        self.projections = [Batched(projections)]
        self.latencies = Latencies()

    def session(self, stop: threading.Event) -> None:
        kafka_records.install()
        with self.connect() as conn:
            conn.autocommit = True
            # its offsets commit with its read models: what a database crash loses is replayed (docs/reliability.md)
            conn.execute("SET synchronous_commit = off")
            conn.execute(f'LISTEN "{notices.RELAY_TAIL}"')
            consumer = group_member(self.settings.kafka_bootstrap, self.settings.projector_group,
                                    "momentum-projector", self.settings.projector_batch_size)
            listener = SeekToStoredOffsets(consumer, lambda: positions.stored_offsets(conn, self.topic), self.name)
            consume(consumer, self.topic, listener, stop, lambda: self._before_poll(conn),
                    lambda records, _: self._apply_timed(conn, consumer, records),
                    lambda most_s: _relay_tail_recorded(conn, most_s))

    def _before_poll(self, conn: psycopg.Connection[Any]) -> None:
        """Adds the latencies observed so far and beats."""
        self.latencies.flush(conn)
        self.heartbeat.beat(conn)

    def _apply_timed(self, conn: psycopg.Connection[Any], consumer: KafkaConsumer, records: Records) -> bool:
        polled = time.monotonic()
        tail_due = self.apply_batch(conn, consumer, records)
        if records:
            self._observe(records, polled)
        return tail_due

    def _observe(self, records: Records, polled: float) -> None:
        oldest_ms = min(batch[0].timestamp for batch in records.values() if batch)
        polled_at = time.time() - (time.monotonic() - polled)
        self.latencies.observe("relay_to_projector", max(0.0, polled_at - oldest_ms / 1000))
        self.latencies.observe("projector_batch", time.monotonic() - polled)

    def apply_batch(self, conn: psycopg.Connection[Any], consumer: KafkaConsumer, records: Records) -> bool:
        """One poll's records and every assigned partition's position, in one transaction; True
        when a partition was read past the relay's recorded tail (look again soon: the tail that
        raises the others is about to be recorded)."""
        assigned = sorted(consumer.assignment(), key=lambda tp: tp.partition)
        with conn.transaction(), conn.cursor() as cur:
            # The relay records each partition's end after its transaction from the offsets it was
            # given; Kafka's own end offsets, asked right after, can still lie before the commit
            # marker (EndTxn is answered before the markers are written) and raise too early.
            stored, tail = positions.lock_partitions_with_relay_tail(cur, self.topic, [tp.partition for tp in assigned])
            received: list[Received] = []
            updated: dict[int, tuple[int, int]] = {}
            tail_due = False
            for tp in assigned:
                next_offset, safe = stored[tp.partition]
                for record in records.get(tp, []):
                    if record.offset >= next_offset:
                        received.append(Received.of(self.topic, tp.partition, record))
                        safe = max(safe, received[-1].sequence or 0)
                next_offset = max(next_offset, consumer.position(tp))
                if tail.drained(tp.partition, next_offset):
                    safe = max(safe, tail.sequence)
                tail_due = tail_due or tail.behind(tp.partition, next_offset)
                if (next_offset, safe) != stored[tp.partition]:
                    updated[tp.partition] = (next_offset, safe)
            events = fold_or_park(cur, self.projections, received)
            if updated:
                positions.save_partitions_and_notify(cur, self.topic, updated, notices.CHANNEL,
                                                     notices.payload(self.topic, events))
        return tail_due


def _relay_tail_recorded(conn: psycopg.Connection[Any], most_s: float) -> None:
    """Takes the relay's tail notices heard since the last call (the connection keeps them
    meanwhile); with none, waits up to `most_s` for the next one."""
    for _ in conn.notifies(timeout=most_s, stop_after=1 if most_s else None):
        pass
