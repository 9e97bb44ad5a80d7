"""A consumer-group member whose partition offsets live in PostgreSQL, beside what it writes
(the projector, the measurement consumer): it never commits offsets to Kafka, seeks to the
stored offsets on assignment, and hands each poll's records to its owner's transaction."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord

log = logging.getLogger(__name__)
Records = dict[TopicPartition, list[ConsumerRecord]]
T = TypeVar("T")


def group_member(bootstrap: str, group_id: str, client_id: str, max_poll_records: int) -> KafkaConsumer:
    return KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group_id,
        client_id=client_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        max_poll_records=max_poll_records,
        fetch_max_wait_ms=100,
        # a SIGKILLed member holds its partitions until its session expires
        session_timeout_ms=6000,
        heartbeat_interval_ms=2000,
        reconnect_backoff_max_ms=1000,
    )


def consume(
    consumer: KafkaConsumer, topic: str, listener: ConsumerRebalanceListener, stop: threading.Event,
    before_poll: Callable[[], T], apply: Callable[[Records, T], bool | None],
    awaited: Callable[[float], None] = time.sleep,
) -> None:
    """Until `stop`: `before_poll()` (a heartbeat, what must be read before the records), poll,
    then `apply(records, what before_poll returned)` while partitions are assigned; the next poll
    waits 10 ms instead of 200 after records. Before each poll, `awaited(seconds)` may wait for
    what `apply` awaits outside Kafka: 10 ms after `apply` returned True (and the poll then does
    not wait), 0 otherwise; by default it just sleeps. Closes the consumer without committing anything to Kafka."""
    try:
        # Join the group only once the topic's partitions are known, or the first
        # assignment may be empty until the next metadata refresh, minutes later.
        if not consumer.partitions_for_topic(topic):
            raise TimeoutError(f"no partitions known for {topic}")
        consumer.subscribe([topic], listener=listener)
        busy = look_again = False
        while not stop.is_set():
            before = before_poll()
            awaited(0.01 if look_again else 0.0)
            records = consumer.poll(timeout_ms=0 if look_again else 10 if busy else 200)
            finish_interrupted_join(consumer)
            look_again = apply(records, before) is True if consumer.assignment() else False
            busy = bool(records)
    finally:
        consumer.close(autocommit=False)


def finish_interrupted_join(consumer: KafkaConsumer) -> None:
    """kafka-python 3.0.12: when poll()'s timeout expires between the leader's assignment and
    the SyncGroup response, the next poll sees no need to rejoin and never completes the
    join, so heartbeats stay off, fetching stops and the member is evicted. Asking for a
    rejoin makes the next poll await the join already in flight and complete it."""
    coordinator = consumer._coordinator
    if coordinator.rejoining and not coordinator.need_rejoin():
        log.info("%s: completing an interrupted group join", consumer.config["client_id"])
        coordinator.request_rejoin()


class SeekToStoredOffsets(ConsumerRebalanceListener):
    """On assignment, each partition resumes at the offset stored in PostgreSQL (from the start
    when none is stored)."""

    def __init__(self, consumer: KafkaConsumer, stored_offsets: Callable[[], dict[int, int]], name: str):
        self.consumer = consumer
        self.stored_offsets = stored_offsets
        self.name = name

    def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        pass

    def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        stored = self.stored_offsets()
        for tp in assigned:
            if tp.partition in stored:
                self.consumer.seek(tp, stored[tp.partition])
            else:
                self.consumer.seek_to_beginning(tp)
        log.info("%s: assigned %s", self.name, sorted(tp.partition for tp in assigned))
