"""The relay: publishes every stored event, in store order, exactly once, to the Kafka topic.

Events are published in Kafka transactions of at most MOMENTUM_RELAY_BATCH_SIZE events, each
committed as soon as the relay has caught up with the store, or once it is full or has been open
MOMENTUM_RELAY_TRANSACTION_MS. The store is read on while the producer sends what it has. On
start-up the position is recovered from the topic itself (the highest committed sequence), so a
crash at any moment neither loses nor repeats an event: an unfinished transaction is aborted by
the next `init_transactions` and its events are published again."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

import psycopg
from eventsourcing import persistence as es
from eventsourcing.persistence import Notification
from kafka import KafkaProducer
from kafka.errors import KafkaError
from kafka.producer.future import FutureRecordMetadata, RecordMetadata
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from application.momentum import Momentum
from consumers.sessions import TopicWorker
from consumers.topic import (
    CLOUDEVENTS_JSON,
    CONTENT_TYPE_HEADER,
    SEQUENCE_HEADER,
    TYPE_HEADER,
    KeyHashPartitioner,
    committed_tail,
)
from contracts.envelope import encode, to_envelope
from contracts.published import PublishedValues
from projections import notices, positions
from projections.latencies import Latencies
from settings import Settings

log = logging.getLogger(__name__)
READ_LIMIT = 1000  # notifications per read of the store
RETRY_BACKOFF_MS = 20
CONTENT_TYPE = (CONTENT_TYPE_HEADER, CLOUDEVENTS_JSON.encode())
RECOVERABLE = (
    KafkaError,
    psycopg.OperationalError,
    es.OperationalError,
    es.InterfaceError,
    TimeoutError,
    OSError,
)


def record_headers(sequence: int, type_: str) -> list[tuple[str, bytes]]:
    """The headers of the record of the stored event `sequence` of CloudEvents type `type_`."""
    return [CONTENT_TYPE, (SEQUENCE_HEADER, str(sequence).encode()), (TYPE_HEADER, type_.encode())]


def published_envelope(app: Momentum, notification: Notification, source: str) -> dict[str, Any]:
    """The envelope the relay publishes for a stored event: as stored, private fields sealed."""
    event = app.mapper.to_sealed_domain_event(notification)  # type: ignore[attr-defined]
    return to_envelope(event, notification.id, source)


class Relay(TopicWorker):
    """Publishes until `stop` is set, starting over after any broker or database failure."""

    name, recoverable = "relay", RECOVERABLE
    FLUSH_TIMEOUT_S = 30

    def __init__(self, settings: Settings, app: Momentum, connect: Callable[[], psycopg.Connection[Any]]):
        super().__init__(settings, connect)
        self.app = app
        self.most = settings.relay_batch_size
        self.open_s = settings.relay_transaction_ms / 1000
        mapper: Any = app.mapper
        # stored JSON is read directly only when it is plain JSON (no cipher, no compression)
        self.values = None if mapper.cipher or mapper.compressor else PublishedValues(settings.event_source)
        self.latencies = Latencies()
        self.recorder = cast(Any, app.recorder)  # the PostgreSQL recorder: its datastore and table
        self.read_statement = SQL(
            "SELECT notification_id, originator_id::text, originator_version, topic, state FROM {}.{} "
            "WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
        ).format(Identifier(self.recorder.datastore.schema), Identifier(self.recorder.events_table_name))

    def session(self, stop: threading.Event) -> None:
        producer = self._producer()
        try:
            producer.init_transactions()
            tail = committed_tail(self.settings.kafka_bootstrap, self.topic)
            position, ends = tail.sequence, PartitionEnds(tail.ends)
            log.info("relay: topic %s holds events up to sequence %d", self.topic, position)
            with self.connect() as conn:
                conn.autocommit = True
                self._record_tail(conn, position, ends)
                conn.execute(f'LISTEN "{self.app.recorder.channel_name}"')  # type: ignore[attr-defined]
                ahead = _Read([], 0)
                woken: float | None = None
                while not stop.is_set():
                    self.heartbeat.beat(conn)
                    self.latencies.flush(conn)
                    read = ahead if ahead.batch else self._read(conn, position, self.most)
                    if woken is not None and read.batch:
                        self.latencies.observe("relay_wakeup", time.monotonic() - woken)
                    woken = None
                    if not read.batch:
                        for _ in conn.notifies(timeout=0.5, stop_after=1):
                            woken = time.monotonic()
                        continue
                    position, ahead = self._publish(conn, producer, read, ends)
                    self._record_tail(conn, position, ends)
        finally:
            producer.close(timeout=2)

    def _record_tail(self, conn: psycopg.Connection[Any], position: int, ends: PartitionEnds) -> None:
        """Records the tail, and tells the projectors at once: one that has read past the last
        tail waits for this one to raise the partitions the transaction left alone."""
        with conn.pipeline():
            positions.record_relay_tail(conn, self.topic, position, ends.offsets)
            conn.execute("SELECT pg_notify(%s, %s)", (notices.RELAY_TAIL, self.topic), prepare=True)

    def _read(self, conn: psycopg.Connection[Any], position: int, most: int) -> _Read:
        """The stored events after `position`, as plain rows: the library's `select_notifications`
        makes a dict and a `Notification` of each (~4 us an event, more than half the read).
        Read on the session's own connection, not the recorder's pool: after a database restart
        every pooled connection is dead, and a session failing on each in turn, with its pause
        between, took ~50 s to get past them (notifications arriving meanwhile are queued)."""
        limit = min(READ_LIMIT, most)
        with conn.cursor(row_factory=tuple_row) as cur:
            cur.execute(self.read_statement, (position, limit), prepare=True)
            return _Read(cur.fetchall(), limit)

    def _publish(self, conn: psycopg.Connection[Any], producer: KafkaProducer, read: _Read,
                 ends: PartitionEnds) -> tuple[int, _Read]:
        """One transaction, starting with `read`: the position it reached, and what was read for the next.
        `ends` is moved past what it wrote once it has committed."""
        producer.begin_transaction()
        opened = time.monotonic()
        sent: list[FutureRecordMetadata] = []
        ahead = _Read([], 0)
        while True:
            sent += [self._send(producer, notification) for notification in read.batch]
            position = read.batch[-1][0]
            if read.caught_up:
                break
            # read on while the producer sends: into this transaction, or the next once this one is done
            room = self.most - len(sent)
            if room <= 0 or time.monotonic() - opened >= self.open_s:
                ahead = self._read(conn, position, self.most)
                break
            read = self._read(conn, position, room)
            if not read.batch:
                break
        producer.flush(timeout=self.FLUSH_TIMEOUT_S)
        # kafka-python can commit a transaction whose batch expired during a broker outage,
        # silently dropping it; a failed send must abort the transaction instead.
        written = [future.get(timeout=0) for future in sent]
        producer.commit_transaction()
        ends.after_transaction(written)
        self.latencies.observe("relay_transaction", time.monotonic() - opened)
        return position, ahead

    def _send(self, producer: KafkaProducer, stored: _Stored) -> FutureRecordMetadata:
        sequence, subject, version, topic, state = stored
        built = self.values and self.values.value(topic, subject, version, sequence, state)
        if built:
            type_, value = built
        else:
            notification = Notification(id=sequence, originator_id=UUID(subject), originator_version=version,
                                        topic=topic, state=state)
            envelope = published_envelope(self.app, notification, self.settings.event_source)
            type_, value = envelope["type"], encode(envelope)
        headers = record_headers(sequence, type_)
        return producer.send(self.topic, key=subject.encode(), value=value, headers=headers)

    def _producer(self) -> KafkaProducer:
        return KafkaProducer(
            bootstrap_servers=self.settings.kafka_bootstrap,
            client_id="momentum-relay",
            transactional_id=f"momentum-relay.{self.topic}",
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
            batch_size=512 * 1024,
            partitioner=KeyHashPartitioner(),
            # a transaction begun while the last one's markers are being written is refused with
            # CONCURRENT_TRANSACTIONS; kafka-python's sender then sleeps retry_backoff_ms (100 by
            # default, not the 20 its own handler asks for) before adding the partitions again
            retry_backoff_ms=RETRY_BACKOFF_MS,
            # after an outage kafka-python may never resend a pending batch; expiring it soon
            # aborts the transaction and the next session starts over from the topic's tail
            max_block_ms=10000,
            delivery_timeout_ms=10000,
            request_timeout_ms=5000,
            reconnect_backoff_max_ms=1000,
        )


class PartitionEnds:
    """The end offset of each partition of the topic (None: not known), as the relay moves them."""

    def __init__(self, committed: Sequence[int]):
        self.offsets: list[int | None] = list(committed)

    def after_transaction(self, written: Sequence[RecordMetadata]) -> None:
        """A committed transaction ends each partition it wrote one past its last record: the
        commit marker takes an offset (tests/integration/test_projector_positions.py checks it)."""
        for metadata in written:
            while metadata.partition >= len(self.offsets):  # a partition added since the session began
                self.offsets.append(None)
            self.offsets[metadata.partition] = max(self.offsets[metadata.partition] or 0, metadata.offset + 2)


_Stored = tuple[int, str, int, str, bytes]  # sequence, aggregate id as text, version, topic, state


@dataclass(frozen=True)
class _Read:
    """Stored events read after a position, asking for at most `limit`."""

    batch: Sequence[_Stored]
    limit: int

    @property
    def caught_up(self) -> bool:
        """Fewer than asked: nothing more was stored when the store was read."""
        return len(self.batch) < self.limit
