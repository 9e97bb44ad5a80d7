"""The projector's partition positions against the real broker and the relay's recorded tail: a
partition's safe sequence reaches the relay's sequence exactly when the partition has been read
to the end the relay recorded, and never while the relay's last transaction is still unreadable
(Kafka answers EndTxn before the commit markers are written; its end offsets, asked then, are
short)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import Notification
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from application.identity import Actor
from application.momentum import Momentum
from bootstrap import build_momentum, build_projector, connector, prepare_read_models
from consumers.projector import Projector
from consumers.relay import PartitionEnds, published_envelope, record_headers
from consumers.topic import KeyHashPartitioner
from contracts.envelope import encode
from projections import positions
from settings import Settings
from tests.stack import Process, running, stored_sequences, wait_until

ADA = Actor(id="ada")


def store_check_ins(app: Momentum, goals: int, check_ins: int) -> list[str]:
    ids = [str(app.goals.create_goal(ADA, title=f"Goal {n}").aggregate_id) for n in range(goals)]
    for progress in range(1, check_ins + 1):
        for goal in ids:
            app.goals.record_check_in(ADA, goal, progress=progress)
    return ids


def recorded_tail(conn: psycopg.Connection[Any], topic: str) -> tuple[int, list[int]] | None:
    row = conn.execute("SELECT ends_sequence, partition_ends FROM relay_positions WHERE topic = %s",
                       (topic,)).fetchone()
    return (int(row[0]), list(row[1])) if row and row[0] is not None else None


def publish_through_the_relay(
    settings: Settings, log_dir: Path, conn: psycopg.Connection[Any]
) -> tuple[int, list[int]]:
    """Runs the relay until it has recorded the tail of every stored event; that tail."""
    last = stored_sequences(settings)[-1]
    with running(Process("relay", settings, log_dir)):
        return wait_until(lambda: (tail := recorded_tail(conn, settings.kafka_topic)) and tail[0] == last and tail,
                          60, f"the relay to record its tail at sequence {last}")


def safe_sequences(conn: psycopg.Connection[Any], topic: str) -> dict[int, tuple[int, int]]:
    rows = conn.execute("SELECT partition, next_offset, safe_sequence FROM projector_positions WHERE topic = %s",
                        (topic,)).fetchall()
    return {p: (offset, safe) for p, offset, safe in rows}


def transaction_as_the_relay(settings: Settings) -> KafkaProducer:
    """A transactional producer partitioning as the relay does, its transaction begun."""
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap,
                             transactional_id=f"test.{settings.kafka_topic}", partitioner=KeyHashPartitioner())
    producer.init_transactions()
    producer.begin_transaction()
    return producer


def send_newer_as_the_relay(
    producer: KafkaProducer, app: Momentum, settings: Settings, after: int
) -> tuple[list[Notification], list[Any]]:
    """Every stored event after sequence `after`, sent as the relay sends it; the events and their futures."""
    newer = app.recorder.select_notifications(after + 1, 100)
    return newer, [send_as_the_relay(producer, app, settings, n) for n in newer]


def send_as_the_relay(producer: KafkaProducer, app: Momentum, settings: Settings, stored: Notification) -> Any:
    envelope = published_envelope(app, stored, settings.event_source)
    return producer.send(settings.kafka_topic, key=str(stored.originator_id).encode(), value=encode(envelope),
                         headers=record_headers(stored.id, envelope["type"]))


@pytest.fixture
def conn(settings: Settings) -> Iterator[psycopg.Connection[Any]]:
    prepare_read_models(settings)
    with connector(settings)() as connection:
        connection.autocommit = True
        yield connection


@pytest.fixture
def app(settings: Settings) -> Iterator[Momentum]:
    momentum = build_momentum(settings)
    yield momentum
    momentum.close()


@pytest.fixture
def projector(settings: Settings) -> Projector:
    return build_projector(settings)


@pytest.fixture
def consumer(settings: Settings) -> Iterator[KafkaConsumer]:
    """A read_committed reader of every partition from the start, one record a poll."""
    reader = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, isolation_level="read_committed",
                           enable_auto_commit=False, max_poll_records=1)
    yield reader
    reader.close()


def assign_all(consumer: KafkaConsumer, topic: str) -> list[TopicPartition]:
    parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic))]
    consumer.assign(parts)
    consumer.seek_to_beginning()
    return parts


def six_goals_applied(
    settings: Settings, log_dir: Path, app: Momentum, conn: psycopg.Connection[Any], projector: Projector,
    consumer: KafkaConsumer,
) -> tuple[list[str], int, list[int], list[TopicPartition]]:
    """Six goals published by the relay and applied to the end of the tail it recorded (never
    asking to look again soon: no partition is read past that tail)."""
    goals = store_check_ins(app, goals=6, check_ins=1)
    before, ends = publish_through_the_relay(settings, log_dir, conn)
    parts = assign_all(consumer, settings.kafka_topic)
    while any(consumer.position(tp) < ends[tp.partition] for tp in parts):
        assert projector.apply_batch(conn, consumer, consumer.poll(timeout_ms=500)) is False
    assert positions.reached_sequence_now(conn, settings.kafka_topic, len(parts)) == before
    return goals, before, ends, parts


def test_the_relay_records_each_partition_end_where_the_broker_ends_it(
    settings: Settings, log_dir: Path, app: Momentum, conn: psycopg.Connection[Any]
) -> None:
    store_check_ins(app, goals=5, check_ins=4)
    _, recorded = publish_through_the_relay(settings, log_dir, conn)
    broker = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, isolation_level="read_uncommitted")
    try:
        parts = [TopicPartition(settings.kafka_topic, p) for p in range(len(recorded))]
        # the high watermark counts the commit markers once they are written
        ends = wait_until(lambda: (e := broker.end_offsets(parts)) and [e[tp] for tp in parts] == recorded and e,
                          30, lambda: f"the broker's ends {broker.end_offsets(parts)} to be {recorded}")
    finally:
        broker.close()
    assert sum(ends.values()) > len(parts), "every partition was written"


def test_a_partition_reaches_the_relay_sequence_exactly_when_read_to_its_recorded_end(
    settings: Settings, log_dir: Path, app: Momentum, conn: psycopg.Connection[Any], projector: Projector,
    consumer: KafkaConsumer,
) -> None:
    store_check_ins(app, goals=6, check_ins=3)
    relay_sequence, ends = publish_through_the_relay(settings, log_dir, conn)
    parts = assign_all(consumer, settings.kafka_topic)
    applied = {tp.partition: 0 for tp in parts}
    while any(consumer.position(tp) < ends[tp.partition] for tp in parts):
        records = consumer.poll(timeout_ms=500)
        projector.apply_batch(conn, consumer, records)
        for tp, batch in records.items():
            applied[tp.partition] = max([applied[tp.partition], *(int(dict(r.headers)["sequence"]) for r in batch)])
        for partition, (next_offset, safe) in safe_sequences(conn, settings.kafka_topic).items():
            drained = next_offset >= ends[partition]
            assert safe == (relay_sequence if drained else applied[partition]), (partition, next_offset, ends)
    reached = positions.reached_sequence_now(conn, settings.kafka_topic, len(parts))
    assert reached == relay_sequence == stored_sequences(settings)[-1]


def test_a_committed_transaction_whose_markers_are_not_written_yet_raises_no_safe_sequence(
    settings: Settings, log_dir: Path, app: Momentum, conn: psycopg.Connection[Any], projector: Projector,
    consumer: KafkaConsumer,
) -> None:
    goals, before, ends, parts = six_goals_applied(settings, log_dir, app, conn, projector, consumer)
    for goal in goals:
        app.goals.record_check_in(ADA, goal, progress=50)
    producer = transaction_as_the_relay(settings)
    try:
        # the relay's transaction, as the broker holds it between EndTxn's answer and the markers:
        # its records are written and unreadable, and the relay has recorded its position
        newer, sent = send_newer_as_the_relay(producer, app, settings, before)
        producer.flush()
        recorded = PartitionEnds(ends)
        recorded.after_transaction([future.get(timeout=10) for future in sent])
        positions.record_relay_tail(conn, settings.kafka_topic, newer[-1].id, recorded.offsets)
        projector.apply_batch(conn, consumer, consumer.poll(timeout_ms=500))
        held = positions.reached_sequence_now(conn, settings.kafka_topic, len(parts))
        producer.commit_transaction()
    finally:
        producer.close()
    assert held == before, "the read models were said to hold events the projector had not read"

    def applied_all() -> bool:
        projector.apply_batch(conn, consumer, consumer.poll(timeout_ms=500))
        return positions.reached_sequence_now(conn, settings.kafka_topic, len(parts)) == newer[-1].id

    wait_until(applied_all, 30, "the projector to read the committed transaction")


def test_a_partition_read_past_the_recorded_tail_has_the_projector_look_again_soon(
    settings: Settings, log_dir: Path, app: Momentum, conn: psycopg.Connection[Any], projector: Projector,
    consumer: KafkaConsumer,
) -> None:
    goals, before, ends, parts = six_goals_applied(settings, log_dir, app, conn, projector, consumer)
    app.goals.record_check_in(ADA, goals[0], progress=50)
    producer = transaction_as_the_relay(settings)
    try:
        newer, sent = send_newer_as_the_relay(producer, app, settings, before)
        producer.commit_transaction()  # committed; the relay has not recorded its tail yet
    finally:
        producer.close()
    wait_until(lambda: projector.apply_batch(conn, consumer, consumer.poll(timeout_ms=500)), 30,
               "the projector to read the transaction and ask to look again soon")
    assert positions.reached_sequence_now(conn, settings.kafka_topic, len(parts)) == before
    recorded = PartitionEnds(ends)
    recorded.after_transaction([future.get(timeout=10) for future in sent])
    positions.record_relay_tail(conn, settings.kafka_topic, newer[-1].id, recorded.offsets)
    assert projector.apply_batch(conn, consumer, consumer.poll(timeout_ms=100)) is False
    assert positions.reached_sequence_now(conn, settings.kafka_topic, len(parts)) == newer[-1].id
