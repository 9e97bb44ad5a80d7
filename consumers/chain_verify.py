"""`momentum audit verify`: recompute the hash chains from the event store and from the Kafka
topic, and report the first break (contracts/chain_check.py does the checking)."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from eventsourcing.persistence import Notification
from eventsourcing.utils import resolve_topic
from kafka import KafkaConsumer, TopicPartition
from psycopg.sql import SQL

from application.momentum import Momentum
from contracts.chain_check import CHECKPOINT_TYPE, ChainCheck, Key, Report, checkpoints_in
from contracts.envelope import Envelope, dataschema, decode, to_envelope
from settings import Settings

BATCH = 1000


def stored_links(app: Momentum) -> Any:
    recorder: Any = app.recorder

    def lookup(keys: Sequence[Key]) -> Mapping[Key, str]:
        if not keys:
            return {}
        with recorder.datastore.get_connection() as conn, conn.cursor() as cur:
            cur.execute(
                SQL("SELECT c.originator_id::text AS id, c.originator_version AS version, c.link "
                    "FROM {chain} c "
                    "JOIN unnest(%s::uuid[], %s::bigint[]) AS w(id, version) "
                    "ON c.originator_id = w.id AND c.originator_version = w.version"
                    ).format(chain=recorder.chain_table),
                ([k[0] for k in keys], [k[1] for k in keys]),
            )
            return {(r["id"], int(r["version"])): r["link"] for r in cur.fetchall()}

    return lookup


def written_envelope(app: Momentum, notification: Notification, source: str) -> Envelope:
    """A stored event's envelope as it was written, and digested: of its stored class version, not
    upcast (the application and the relay read a stored v1 goal event as v2)."""
    mapper: Any = app.mapper
    state = notification.state
    if mapper.cipher:
        state = mapper.cipher.decrypt(state)
    if mapper.compressor:
        state = mapper.compressor.decompress(state)
    written: dict[str, Any] = mapper.transcoder.decode(state)
    version = written.pop("class_version", 1)
    event_class = resolve_topic(notification.topic)
    event = object.__new__(event_class)
    object.__setattr__(event, "__dict__", {
        **written, "originator_id": notification.originator_id, "originator_version": notification.originator_version,
    })
    envelope = to_envelope(event, notification.id, source)
    if version == getattr(event_class, "class_version", 1):
        return envelope
    type_ = f"{envelope['type'].rsplit('.v', 1)[0]}.v{version}"
    return {**envelope, "type": type_, "dataschema": dataschema(type_)}


def store_envelopes(app: Momentum, source: str, topics: Sequence[str] = ()) -> Iterator[list[Envelope]]:
    position = 0
    while True:
        batch = app.recorder.select_notifications(position, BATCH, topics=topics, inclusive_of_start=False)
        if not batch:
            return
        yield [written_envelope(app, n, source) for n in batch]
        position = batch[-1].id


def verify_store(app: Momentum, settings: Settings) -> Report:
    checkpoint_topic = _checkpoint_topic()
    checkpoints = checkpoints_in(e for b in store_envelopes(app, settings.event_source, [checkpoint_topic]) for e in b)
    check = ChainCheck(stored_links(app), checkpoints)
    for batch in store_envelopes(app, settings.event_source):
        check.feed([(e, "event store") for e in batch])
    return check.finish()


def verify_topic(app: Momentum, settings: Settings, topic: str | None = None) -> Report:
    records = read_records(settings, topic or settings.kafka_topic)
    records.sort(key=lambda r: (r[0]["sequence"], r[1]))
    check = ChainCheck(stored_links(app), checkpoints_in(e for e, _ in records if e["type"] == CHECKPOINT_TYPE))
    for start in range(0, len(records), BATCH):
        check.feed([(e, f"partition {p} offset {o}") for e, (p, o) in records[start:start + BATCH]])
    return check.finish()


def read_records(settings: Settings, topic: str) -> list[tuple[Envelope, tuple[int, int]]]:
    """Every committed record: (envelope, (partition, offset))."""
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, isolation_level="read_committed",
                             enable_auto_commit=False, client_id="momentum-audit-verify")
    try:
        parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not parts:
            raise RuntimeError(f"topic {topic} does not exist")
        consumer.assign(parts)
        consumer.seek_to_beginning()
        ends = consumer.end_offsets(parts)
        found: list[tuple[Envelope, tuple[int, int]]] = []
        deadline = time.monotonic() + 300
        while any(consumer.position(tp) < ends[tp] for tp in parts):
            if time.monotonic() > deadline:
                raise TimeoutError(f"could not read {topic} to its end")
            for tp, batch in consumer.poll(timeout_ms=500).items():
                found.extend((decode(r.value), (tp.partition, r.offset)) for r in batch)
        return found
    finally:
        consumer.close()


def _checkpoint_topic() -> str:
    from eventsourcing.utils import get_topic

    from domain.checkpoint import ChainCheckpoint

    return get_topic(ChainCheckpoint.Taken)  # type: ignore[attr-defined]  # made by @event
