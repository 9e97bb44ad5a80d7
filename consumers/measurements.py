"""The measurement consumer: applies `momentum.measurements` exactly once.

Each record is a measurement (docs/goals.md): it becomes a check-in through the event store,
saved in one transaction with its idempotency record (the Measurement aggregate, whose id is
derived from integration and idempotency key). The partition offsets and the dead letters of
a batch are committed in one PostgreSQL transaction that holds the partitions' rows locked.
A crash between a check-in's commit and the offsets' commit redelivers the record, which then
finds its measurement stored and changes nothing. A record that cannot be applied, whatever its
bytes, is a dead letter with its reason; it never stops the consumer."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

import psycopg
from eventsourcing.persistence import PersistenceError
from kafka import KafkaConsumer
from kafka.consumer.fetcher import ConsumerRecord
from kafka.errors import KafkaError

from application.identity import Actor
from application.integrations import Outcome, Reading, Reason, Status
from application.momentum import Momentum
from consumers.group import Records, SeekToStoredOffsets, consume, group_member
from consumers.quarantine import holdable
from consumers.sessions import TopicWorker
from contracts.measurement_message import OPTIONAL, REQUIRED
from domain.errors import DomainError
from domain.integrations import INTEGRATION_ROLE
from projections import measurements, positions
from settings import Settings

log = logging.getLogger(__name__)
RECOVERABLE = (KafkaError, psycopg.OperationalError, PersistenceError, TimeoutError, OSError)
MAX_MESSAGE_CHARS = 1000  # of a dead letter's message
UNEXPECTED = "UNEXPECTED"  # a defect: logged with its traceback, and the record kept as a dead letter


class Malformed(Exception):
    pass


def message_of(value: bytes | None) -> dict[str, Any]:
    """A record's value as the measurement it must be: a JSON object of the documented fields."""
    if value is None:
        raise Malformed("the record has no value")
    try:
        message = json.loads(value.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise Malformed(f"the value is not JSON in UTF-8: {error}") from None
    if not isinstance(message, dict):
        raise Malformed("the value must be a JSON object")
    missing = [name for name in REQUIRED if name not in message]
    unknown = sorted(set(message) - {*REQUIRED, *OPTIONAL})
    if missing or unknown:
        raise Malformed(f"missing fields {missing}, unknown fields {unknown}")
    if not isinstance(message["integration"], str):
        raise Malformed("integration must be a string")
    return message


class MeasurementConsumer(TopicWorker):
    name, recoverable = "measurements", RECOVERABLE

    def __init__(self, settings: Settings, momentum: Momentum, connect: Callable[[], psycopg.Connection[Any]]):
        super().__init__(settings, connect)
        self.momentum = momentum
        self.topic = settings.measurements_topic

    def session(self, stop: threading.Event) -> None:
        with self.connect() as conn:
            conn.autocommit = True
            consumer = group_member(self.settings.kafka_bootstrap, self.settings.measurements_group,
                                    "momentum-measurements", self.settings.measurements_poll_records)
            listener = SeekToStoredOffsets(
                consumer, lambda: positions.stored_offsets(conn, self.topic, table="measurement_positions"), self.name
            )
            consume(consumer, self.topic, listener, stop, lambda: self.heartbeat.beat(conn),
                    lambda records, _: self._apply(conn, consumer, records))

    def _apply(
        self, conn: psycopg.Connection[Any], consumer: KafkaConsumer, records: Records
    ) -> None:
        assigned = sorted(consumer.assignment(), key=lambda tp: tp.partition)
        with conn.transaction(), conn.cursor() as cur:
            stored = measurements.lock_offsets(cur, self.topic, [tp.partition for tp in assigned])
            letters: list[measurements.DeadLetter] = []
            updated: dict[int, int] = {}
            for tp in assigned:
                next_offset = stored[tp.partition]
                for record in records.get(tp, []):
                    if record.offset >= next_offset:
                        letter = self.handle(record)
                        if letter is not None:
                            letters.append(letter)
                position = max(next_offset, consumer.position(tp))
                if position != next_offset:
                    updated[tp.partition] = position
            measurements.bury(cur, letters)
            measurements.save_offsets(cur, self.topic, updated)

    def handle(self, record: ConsumerRecord) -> measurements.DeadLetter | None:
        """Applies one record; its dead letter if it is refused."""
        try:
            message = message_of(record.value)
        except Malformed as error:
            return _letter(record, {}, Reason.MALFORMED.value, str(error))
        try:
            outcome = self.record(message)
        except RECOVERABLE:
            raise
        except Exception as error:  # noqa: BLE001 - a defect must not stop the stream: logged, kept
            log.exception("measurements: could not apply %s[%d]@%d", self.topic, record.partition, record.offset)
            return _letter(record, message, UNEXPECTED, f"{type(error).__name__}: {error}")
        if outcome.status is Status.REFUSED:
            assert outcome.reason is not None
            return _letter(record, message, outcome.reason.value, outcome.message)
        return None

    def record(self, message: dict[str, Any]) -> Outcome:
        integration = Actor(message["integration"], frozenset({INTEGRATION_ROLE}))
        try:
            [outcome] = self.momentum.integrations.record_measurements(integration, [Reading.of(message)], "topic")
        except DomainError as error:  # the integration is no active service account
            return Outcome(str(message["idempotencyKey"]), Status.REFUSED, Reason.UNKNOWN_INTEGRATION, error.message)
        return outcome


def _letter(record: ConsumerRecord, message: dict[str, Any], reason: str, text: str) -> measurements.DeadLetter:
    def field(name: str) -> str | None:
        value = message.get(name)
        return holdable(value[:200]) if isinstance(value, str) else None

    return measurements.DeadLetter(
        channel="topic", integration=field("integration"), idempotency_key=field("idempotencyKey"),
        metric_key=field("metricKey"), reason=reason, message=holdable(text[:MAX_MESSAGE_CHARS]),
        payload=record.value if record.value is not None else b"", topic=record.topic, partition=record.partition,
        offset=record.offset,
    )

