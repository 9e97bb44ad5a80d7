from datetime import datetime
from uuid import uuid4

from kafka.partitioner.default import DefaultPartitioner

from consumers.topic import KeyHashPartitioner
from contracts.envelope import decode, encode, event_id, event_id_text, event_type, to_envelope
from domain.goal import Goal


def test_an_event_becomes_a_cloudevents_envelope() -> None:
    goal = Goal.create(title="Ship", owner_id="ada", actor="ada")
    goal.record_check_in(progress=12.5, confidence=3, note="ok", actor="ada")
    created, checked = goal.collect_events()
    envelope = decode(encode(to_envelope(checked, 42, "urn:momentum:test")))
    assert envelope["type"] == "momentum.goal.CheckInRecorded.v2" == event_type(checked)
    assert envelope["specversion"] == "1.0" and envelope["datacontenttype"] == "application/json"
    assert envelope["subject"] == str(goal.id) and envelope["source"] == "urn:momentum:test"
    assert (envelope["sequence"], envelope["aggregateversion"], envelope["actor"]) == (42, 2, "ada")
    assert envelope["data"] == {"progress": 12.5, "confidence": 3, "note": "ok", "blockers": "", "private_to": None}
    assert envelope["id"] == str(event_id(goal.id, 2)) != str(event_id(goal.id, 1))
    assert datetime.fromisoformat(envelope["time"].replace("Z", "+00:00")).tzinfo is not None
    assert to_envelope(created, 41, "s")["data"]["title"] == "Ship"


def test_the_event_id_text_is_the_uuid5_of_aggregate_and_version() -> None:
    for version in range(1, 2001):
        aggregate = uuid4()
        assert event_id_text(str(aggregate), version) == str(event_id(aggregate, version))


class _Cluster:
    """What a partitioner reads of kafka-python's cluster metadata: one topic of six partitions."""

    def topics(self) -> set[str]:
        return {"t"}

    def partitions_for_topic(self, topic: str) -> set[int]:
        return {3, 1, 0, 5, 2, 4}

    def available_partitions_for_topic(self, topic: str) -> set[int]:
        return self.partitions_for_topic(topic)


def test_the_relay_puts_each_key_in_the_partition_kafkas_default_partitioner_chooses() -> None:
    ours, default, cluster = KeyHashPartitioner(), DefaultPartitioner(), _Cluster()
    for _ in range(2000):
        key = str(uuid4()).encode()
        assert ours.partition("t", None, key, None, None, cluster) == default.partition("t", None, key, None, None,
                                                                                       cluster)
