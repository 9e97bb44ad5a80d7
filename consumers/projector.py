"""The projector: a consumer-group member that applies the topic to the read models.

Every batch is applied in one PostgreSQL transaction together with the partition
positions, so a crash at any moment is followed by a restart exactly where the last commit
left off; records below a stored position are skipped, so a rebalance cannot apply one twice.
An event a fold cannot apply is parked with its aggregate's later events (consumers/quarantine.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from kafka import KafkaConsumer
from kafka.errors import KafkaError

from consumers.group import Records, SeekToStoredOffsets, consume, group_member
from consumers.quarantine import Received, fold_or_park
from consumers.sessions import run_sessions
from consumers.topic import ensure_topic
from projections import notices, positions
from projections.heartbeats import Heartbeat
from projections.readmodel import Projection
from settings import Settings

RECOVERABLE = (KafkaError, psycopg.OperationalError, TimeoutError, OSError)



class Projector:
    def __init__(
        self,
        settings: Settings,
        connect: Callable[[], psycopg.Connection[Any]],
        projections: Sequence[Projection],
    ):
        self.settings = settings
        self.connect = connect
        self.projections = projections
        self.topic = settings.kafka_topic
        self.heartbeat = Heartbeat("projector", settings.heartbeat_timeout_seconds)

    def run(self, stop: threading.Event) -> None:
        run_sessions("projector", self._consume_session, stop, RECOVERABLE)

    def _consume_session(self, stop: threading.Event) -> None:
        ensure_topic(self.settings.kafka_bootstrap, self.topic, self.settings.kafka_partitions)
        with self.connect() as conn:
            conn.autocommit = True
            consumer = group_member(self.settings.kafka_bootstrap, self.settings.projector_group,
                                    "momentum-projector", self.settings.projector_batch_size)
            listener = SeekToStoredOffsets(consumer, lambda: positions.stored_offsets(conn, self.topic), "projector")

            def before_poll() -> int:
                self.heartbeat.beat(conn)
                return positions.relay_position(conn, self.topic)

            consume(consumer, self.topic, listener, stop, before_poll,
                    lambda records, relay_position: self._apply(conn, consumer, records, relay_position))

    def _apply(
        self,
        conn: psycopg.Connection[Any],
        consumer: KafkaConsumer,
        records: Records,
        relay_position: int,
    ) -> None:
        assigned = sorted(consumer.assignment(), key=lambda tp: tp.partition)
        ends = consumer.end_offsets(assigned)
        with conn.transaction(), conn.cursor() as cur:
            stored = positions.lock_partitions(cur, self.topic, [tp.partition for tp in assigned])
            received: list[Received] = []
            updated: dict[int, tuple[int, int]] = {}
            for tp in assigned:
                next_offset, safe = stored[tp.partition]
                for record in records.get(tp, []):
                    if record.offset >= next_offset:
                        received.append(Received.of(self.topic, tp.partition, record))
                        safe = max(safe, received[-1].sequence or 0)
                next_offset = max(next_offset, consumer.position(tp))
                if next_offset >= ends[tp]:
                    safe = max(safe, relay_position)
                if (next_offset, safe) != stored[tp.partition]:
                    updated[tp.partition] = (next_offset, safe)
            events = fold_or_park(cur, self.projections, received)
            if updated:
                positions.save_partitions(cur, self.topic, updated)
                cur.execute("SELECT pg_notify(%s, %s)", (notices.CHANNEL, notices.payload(self.topic, events)))

