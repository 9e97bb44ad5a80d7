"""The projector: a consumer-group member that applies the topic to the read models.

Every batch is applied in one PostgreSQL transaction together with the partition
positions, so a crash at any moment is followed by a restart exactly where the last commit
left off; records below a stored position are skipped, so a rebalance cannot apply one twice.
An event a fold cannot apply is parked with its aggregate's later events (consumers/quarantine.py)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord
from kafka.errors import KafkaError

from consumers.quarantine import Received, fold_or_park
from consumers.sessions import run_sessions
from consumers.topic import ensure_topic
from projections import notices, positions
from projections.heartbeats import Heartbeat
from projections.readmodel import Projection
from settings import Settings

log = logging.getLogger(__name__)
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
            consumer = KafkaConsumer(
                bootstrap_servers=self.settings.kafka_bootstrap,
                group_id=self.settings.projector_group,
                client_id="momentum-projector",
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                isolation_level="read_committed",
                max_poll_records=self.settings.projector_batch_size,
                fetch_max_wait_ms=100,
                # a SIGKILLed member holds its partitions until its session expires
                session_timeout_ms=6000,
                heartbeat_interval_ms=2000,
                reconnect_backoff_max_ms=1000,
            )
            try:
                # Join the group only once the topic's partitions are known, or the first
                # assignment may be empty until the next metadata refresh, minutes later.
                if not consumer.partitions_for_topic(self.topic):
                    raise TimeoutError(f"no partitions known for {self.topic}")
                consumer.subscribe([self.topic], listener=_SeekToStoredOffsets(consumer, conn, self.topic))
                busy = False
                while not stop.is_set():
                    self.heartbeat.beat(conn)
                    relay_position = positions.relay_position(conn, self.topic)
                    records = consumer.poll(timeout_ms=10 if busy else 200)
                    busy = bool(records)
                    _finish_interrupted_join(consumer)
                    if consumer.assignment():
                        self._apply(conn, consumer, records, relay_position)
            finally:
                consumer.close(autocommit=False)

    def _apply(
        self,
        conn: psycopg.Connection[Any],
        consumer: KafkaConsumer,
        records: dict[TopicPartition, list[ConsumerRecord]],
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


def _finish_interrupted_join(consumer: KafkaConsumer) -> None:
    """kafka-python 3.0.12: when poll()'s timeout expires between the leader's assignment and
    the SyncGroup response, the next poll sees no need to rejoin and never completes the
    join, so heartbeats stay off, fetching stops and the member is evicted. Asking for a
    rejoin makes the next poll await the join already in flight and complete it."""
    coordinator = consumer._coordinator
    if coordinator.rejoining and not coordinator.need_rejoin():
        log.info("projector: completing an interrupted group join")
        coordinator.request_rejoin()


class _SeekToStoredOffsets(ConsumerRebalanceListener):
    def __init__(self, consumer: KafkaConsumer, conn: psycopg.Connection[Any], topic: str):
        self.consumer = consumer
        self.conn = conn
        self.topic = topic

    def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        pass

    def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        rows = self.conn.execute(
            "SELECT partition, next_offset FROM projector_positions WHERE topic = %s",
            (self.topic,),
        ).fetchall()
        stored = dict(rows)
        for tp in assigned:
            if tp.partition in stored:
                self.consumer.seek(tp, stored[tp.partition])
            else:
                self.consumer.seek_to_beginning(tp)
        log.info("projector: assigned %s", sorted(tp.partition for tp in assigned))
