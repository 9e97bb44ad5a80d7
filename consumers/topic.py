"""The momentum.events topic: creation and reading its committed tail."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError
from kafka.partitioner.abc import Partitioner
from kafka.partitioner.default import DefaultPartitioner, murmur2

log = logging.getLogger(__name__)
SEQUENCE_HEADER = "sequence"
TYPE_HEADER = "type"
# the CloudEvents Kafka binding's structured mode: the value is a whole JSON envelope
CONTENT_TYPE_HEADER = "content-type"
CLOUDEVENTS_JSON = "application/cloudevents+json"


def ensure_topic(bootstrap: str, topic: str, partitions: int) -> None:
    """Create the topic with retention forever, unless it exists."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="momentum-admin")
    try:
        admin.create_topics(
            [
                NewTopic(
                    topic,
                    num_partitions=partitions,
                    replication_factor=1,
                    topic_configs={"retention.ms": "-1", "retention.bytes": "-1"},
                )
            ]
        )
        log.info("created topic %s with %d partitions", topic, partitions)
    except TopicAlreadyExistsError:
        pass
    finally:
        admin.close()


class KeyHashPartitioner(Partitioner):
    """kafka-python's DefaultPartitioner for keyed records (murmur2 of the key, as the Java client),
    with each key's hash remembered: its pure-Python murmur2 and partition sorting cost ~10 µs a
    record, and an aggregate's events share a key."""

    def __init__(self) -> None:
        self.default = DefaultPartitioner()
        self.sorted: dict[str, tuple[int, ...]] = {}

    def partition(self, topic: str, key: Any, serialized_key: bytes | None, value: Any,
                  serialized_value: bytes | None, cluster: Any) -> int:
        partitions = cluster.partitions_for_topic(topic)
        if serialized_key is None or not partitions:
            return int(self.default.partition(topic, key, serialized_key, value, serialized_value, cluster))
        known = self.sorted.get(topic)
        if known is None or len(known) != len(partitions):
            known = self.sorted[topic] = tuple(sorted(partitions))
        return known[(_key_hash(serialized_key) & 0x7FFFFFFF) % len(known)]


@lru_cache(maxsize=65536)
def _key_hash(key: bytes) -> int:
    return int(murmur2(key))


def sequence_of(headers: list[tuple[str, bytes]]) -> int:
    for name, value in headers:
        if name == SEQUENCE_HEADER:
            return int(value)
    raise ValueError("record has no sequence header")


@dataclass(frozen=True)
class CommittedTail:
    """The highest event-store sequence in a committed record of the topic (0 if none), and the
    end offset of each partition (indexed by partition) below which every such record lies."""

    sequence: int
    ends: tuple[int, ...]


def committed_tail(bootstrap: str, topic: str) -> CommittedTail:
    """The topic's committed tail, read by the relay once `init_transactions` has returned (the
    coordinator answers it only once an earlier transaction's markers are all written, so each
    partition's last stable offset is then its end).

    The relay commits batches in sequence order, one transaction at a time, so every
    sequence up to the highest one is in the topic too. Each partition is read backwards from its
    last stable offset, in growing windows, past aborted records and transaction markers."""
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        isolation_level="read_committed",
        enable_auto_commit=False,
        client_id="momentum-relay-recovery",
        reconnect_backoff_max_ms=1000,
    )
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not partitions:
            raise RuntimeError(f"topic {topic} has no partitions")
        begins = consumer.beginning_offsets(partitions)
        ends = consumer.end_offsets(partitions)
        sequence = max(_last_in_partition(consumer, tp, begins[tp], ends[tp]) for tp in partitions)
        return CommittedTail(sequence, tuple(ends[tp] for tp in partitions))
    finally:
        consumer.close()


def _last_in_partition(consumer: KafkaConsumer, tp: TopicPartition, begin: int, end: int) -> int:
    consumer.assign([tp])
    deadline = time.monotonic() + 120
    window = 64
    high = end
    while high > begin:
        low = max(begin, high - window)
        consumer.seek(tp, low)
        best = 0
        while consumer.position(tp) < high:
            if time.monotonic() > deadline:
                raise TimeoutError(f"could not read the tail of {tp}")
            for record in consumer.poll(timeout_ms=1000).get(tp, []):
                if record.offset < high:
                    best = max(best, sequence_of(record.headers))
        if best:
            return best
        high, window = low, window * 4
    return 0
