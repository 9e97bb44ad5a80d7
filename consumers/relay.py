"""The relay: publishes every stored event, in store order, exactly once, to the Kafka topic.

Each batch of notifications is one Kafka transaction. On start-up the position is recovered
from the topic itself (the highest committed sequence), so a crash at any moment neither
loses nor repeats an event: an unfinished transaction is aborted by the next
`init_transactions` and its events are published again."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from eventsourcing import persistence as es
from eventsourcing.persistence import Notification
from kafka import KafkaProducer
from kafka.errors import KafkaError
from kafka.producer.future import FutureRecordMetadata

from application.momentum import Momentum
from consumers.sessions import TopicWorker
from consumers.topic import (
    CLOUDEVENTS_JSON,
    CONTENT_TYPE_HEADER,
    SEQUENCE_HEADER,
    TYPE_HEADER,
    last_committed_sequence,
)
from contracts.envelope import encode, to_envelope
from projections import positions
from settings import Settings

log = logging.getLogger(__name__)
RECOVERABLE = (
    KafkaError,
    psycopg.OperationalError,
    es.OperationalError,
    es.InterfaceError,
    TimeoutError,
    OSError,
)


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

    def session(self, stop: threading.Event) -> None:
        producer = self._producer()
        try:
            producer.init_transactions()
            position = last_committed_sequence(self.settings.kafka_bootstrap, self.topic)
            log.info("relay: topic %s holds events up to sequence %d", self.topic, position)
            with self.connect() as conn:
                conn.autocommit = True
                positions.record_relay_position(conn, self.topic, position)
                conn.execute(f'LISTEN "{self.app.recorder.channel_name}"')  # type: ignore[attr-defined]
                while not stop.is_set():
                    self.heartbeat.beat(conn)
                    batch = self.app.recorder.select_notifications(
                        start=position, limit=self.settings.relay_batch_size, inclusive_of_start=False
                    )
                    if not batch:
                        for _ in conn.notifies(timeout=0.5, stop_after=1):
                            pass
                        continue
                    self._publish(producer, batch)
                    position = batch[-1].id
                    positions.record_relay_position(conn, self.topic, position)
        finally:
            producer.close(timeout=2)

    def _publish(self, producer: KafkaProducer, batch: Sequence[Notification]) -> None:
        producer.begin_transaction()
        sent = [self._send(producer, notification) for notification in batch]
        producer.flush(timeout=self.FLUSH_TIMEOUT_S)
        # kafka-python can commit a transaction whose batch expired during a broker outage,
        # silently dropping it; a failed send must abort the transaction instead.
        for future in sent:
            future.get(timeout=0)
        producer.commit_transaction()

    def _send(self, producer: KafkaProducer, notification: Notification) -> FutureRecordMetadata:
        envelope = published_envelope(self.app, notification, self.settings.event_source)
        return producer.send(
            self.topic,
            key=str(notification.originator_id).encode(),
            value=encode(envelope),
            headers=[
                (CONTENT_TYPE_HEADER, CLOUDEVENTS_JSON.encode()),
                (SEQUENCE_HEADER, str(notification.id).encode()),
                (TYPE_HEADER, envelope["type"].encode()),
            ],
        )

    def _producer(self) -> KafkaProducer:
        return KafkaProducer(
            bootstrap_servers=self.settings.kafka_bootstrap,
            client_id="momentum-relay",
            transactional_id=f"momentum-relay.{self.topic}",
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
            batch_size=512 * 1024,
            # after an outage kafka-python may never resend a pending batch; expiring it soon
            # aborts the transaction and the next session starts over from the topic's tail
            max_block_ms=10000,
            delivery_timeout_ms=10000,
            request_timeout_ms=5000,
            reconnect_backoff_max_ms=1000,
        )
