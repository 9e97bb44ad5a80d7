"""What docs/stream.md promises integrators, checked on the real broker: retention forever,
order per aggregate, stable ids for deduplication, replay from an offset or a point in time,
and aborted transactions invisible to read_committed readers."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType

from application.identity import Actor
from bootstrap import build_momentum
from consumers.topic import ensure_topic
from contracts.envelope import decode, event_id
from settings import Settings
from tests.stack import Process, exclude_from_schema_check, read_topic, running, topic_records, wait_until

ADA = Actor(id="ada")


def reader(settings: Settings, **config: Any) -> KafkaConsumer:
    return KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap, enable_auto_commit=False,
        isolation_level=config.pop("isolation_level", "read_committed"), **config,
    )


def drain(consumer: KafkaConsumer, parts: list[TopicPartition], timeout_s: float = 30) -> list[Any]:
    ends = consumer.end_offsets(parts)
    records: list[Any] = []
    deadline = time.monotonic() + timeout_s
    while any(consumer.position(tp) < ends[tp] for tp in parts):
        assert time.monotonic() < deadline, f"not read to the end offsets {ends} in {timeout_s}s"
        for batch in consumer.poll(timeout_ms=500).values():
            records.extend(batch)
    return records


def from_the_beginning(consumer: KafkaConsumer, settings: Settings) -> tuple[list[TopicPartition], list[Any]]:
    """Every partition of the topic assigned to `consumer`, and every record up to the end offsets."""
    parts = [TopicPartition(settings.kafka_topic, p) for p in consumer.partitions_for_topic(settings.kafka_topic)]
    consumer.assign(parts)
    consumer.seek_to_beginning()
    return parts, drain(consumer, parts)


@pytest.fixture
def published(settings: Settings, log_dir: Path) -> Iterator[list[dict[str, Any]]]:
    """Two goals with three check-ins each, through the real relay."""
    app = build_momentum(settings)
    goals = [app.goals.create_goal(ADA, title=f"Goal {n}").aggregate_id for n in range(2)]
    for progress in (10, 20, 30):
        for goal in goals:
            app.goals.record_check_in(ADA, str(goal), progress=progress)
    app.close()
    def all_eight() -> list[dict[str, Any]] | None:
        records = read_topic(settings)
        return records if len(records) == 8 else None

    with running(Process("relay", settings, log_dir)):
        yield wait_until(all_eight, 30, "the relay to publish 8 events")


def test_the_topic_keeps_every_event_forever(settings: Settings) -> None:
    ensure_topic(settings.kafka_bootstrap, settings.kafka_topic, settings.kafka_partitions)
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    try:
        described = admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, settings.kafka_topic)], config_filter="all"
        )
    finally:
        admin.close()
    configs = {name: c["value"] for name, c in described["topic"][settings.kafka_topic].items()}
    assert (configs["retention.ms"], configs["retention.bytes"]) == ("-1", "-1")
    assert configs["cleanup.policy"] == "delete"  # not compacted: no event is ever replaced by a later one


def test_each_aggregate_is_one_partition_in_version_order_with_stable_unique_ids(
    published: list[dict[str, Any]],
) -> None:
    by_subject: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in published:  # read_topic keeps each partition's order
        by_subject[record["subject"]].append(record)
    for records in by_subject.values():
        assert len({r["_partition"] for r in records}) == 1
        assert {r["_key"] for r in records} == {records[0]["subject"].encode()}
        assert [r["aggregateversion"] for r in records] == [1, 2, 3, 4]
        assert [r["sequence"] for r in records] == sorted(r["sequence"] for r in records)
    assert len({r["id"] for r in published}) == len(published)  # the id is what consumers deduplicate on


def published_later(settings: Settings, published: list[dict[str, Any]]) -> None:
    """One more event, stored once the clock has passed the millisecond of every record so far
    (the relay may publish the first eight within one), so that a point in time lies between
    records; back once the relay has published it."""
    latest = max(r.timestamp for r in topic_records(settings))
    wait_until(lambda: time.time() * 1000 > latest + 1, 5, "the clock to pass the records' millisecond")
    app = build_momentum(settings)
    app.goals.create_goal(ADA, title="Later")
    app.close()
    wait_until(lambda: len(read_topic(settings)) == len(published) + 1, 30, "the relay to publish one more")


def test_a_reader_can_start_from_an_offset_or_a_point_in_time(
    settings: Settings, published: list[dict[str, Any]]
) -> None:
    published_later(settings, published)
    consumer = reader(settings)
    try:
        parts, everything = from_the_beginning(consumer, settings)
        chosen = max(everything, key=lambda r: (r.timestamp, r.offset))  # the last record written
        tp = TopicPartition(chosen.topic, chosen.partition)

        consumer.seek(tp, chosen.offset)  # from an offset
        for other in parts:
            if other != tp:
                consumer.seek_to_end(other)
        assert [r.offset for r in drain(consumer, parts)] == [chosen.offset]

        found = consumer.offsets_for_times({p: chosen.timestamp for p in parts})  # from a point in time
        for p in parts:
            if found[p] is None:
                consumer.seek_to_end(p)
            else:
                consumer.seek(p, found[p].offset)
        since = drain(consumer, parts)
        assert all(r.timestamp >= chosen.timestamp for r in since)
        assert (chosen.partition, chosen.offset) in {(r.partition, r.offset) for r in since}
        earlier = [r for r in everything if r.timestamp < chosen.timestamp]
        assert earlier and not {(r.partition, r.offset) for r in earlier} & {(r.partition, r.offset) for r in since}
    finally:
        consumer.close()


def test_an_aborted_transaction_is_invisible_to_a_read_committed_reader(settings: Settings) -> None:
    exclude_from_schema_check(settings)  # its records are not events
    ensure_topic(settings.kafka_bootstrap, settings.kafka_topic, 1)
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, transactional_id=f"{settings.kafka_topic}.t")
    producer.init_transactions()
    for outcome in ("aborted", "committed"):
        producer.begin_transaction()
        producer.send(settings.kafka_topic, key=b"k", value=outcome.encode())
        producer.flush()
        producer.commit_transaction() if outcome == "committed" else producer.abort_transaction()
    producer.close()
    tp = TopicPartition(settings.kafka_topic, 0)
    seen = {}
    for isolation in ("read_committed", "read_uncommitted"):
        consumer = reader(settings, isolation_level=isolation)
        consumer.assign([tp])
        consumer.seek_to_beginning()
        seen[isolation] = [r.value for r in drain(consumer, [tp])]
        consumer.close()
    assert seen["read_uncommitted"] == [b"aborted", b"committed"]  # the aborted record is in the log
    assert seen["read_committed"] == [b"committed"]


def test_redelivery_is_harmless_when_the_consumer_deduplicates_on_id(published: list[dict[str, Any]]) -> None:
    """At-least-once: after a crash a consumer may see records again; `id` is stable across them."""
    for record in published:  # derived from the event alone, so a republished event carries the same id
        assert record["id"] == str(event_id(UUID(record["subject"]), record["aggregateversion"]))
    applied: dict[str, int] = {}
    for record in [*published, *published[3:]]:  # a restart re-reads part of the stream
        applied.setdefault(record["id"], record["sequence"])
    assert sorted(applied.values()) == sorted(r["sequence"] for r in published)


def test_every_record_is_a_structured_mode_cloudevent_with_its_headers(
    settings: Settings, published: list[dict[str, Any]]
) -> None:
    """The CloudEvents Kafka binding tells structured from binary mode by `content-type`."""
    records = topic_records(settings)
    assert len(records) == len(published) == 8
    for record in records:
        envelope = decode(record.value)
        assert dict(record.headers) == {
            "content-type": b"application/cloudevents+json",
            "sequence": str(envelope["sequence"]).encode(),
            "type": envelope["type"].encode(),
        }
