"""The end-of-session schema check itself: it catches an invalid record and an unknown type."""

from __future__ import annotations

import json
from uuid import uuid4

from kafka import KafkaProducer

from consumers.topic import ensure_topic
from contracts.envelope import to_envelope
from domain.goal import Goal
from settings import Settings
from tests.schema_check import check_topics
from tests.stack import exclude_from_schema_check


def test_the_check_reports_invalid_records_and_unknown_types(settings: Settings) -> None:
    ensure_topic(settings.kafka_bootstrap, settings.kafka_topic, 1)
    goal = Goal.create(title="Ship", owner_id="ada", actor="ada")
    good = to_envelope(goal.collect_events()[0], 1, "urn:momentum:test")
    bad = {**good, "data": {**good["data"], "weight": "heavy"}}
    unknown = {**good, "type": "momentum.goal.Teleported.v1"}
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, value_serializer=lambda v: v)
    for envelope in (good, bad, unknown):
        producer.send(settings.kafka_topic, key=str(uuid4()).encode(), value=json.dumps(envelope).encode())
    producer.flush()
    producer.close()
    report = check_topics(settings.kafka_bootstrap, {settings.kafka_topic})
    assert sum(report.checked.values()) == 2
    assert len(report.problems) == 2
    assert "weight" in report.problems[0] and "unknown event type" in report.problems[1]
    exclude_from_schema_check(settings)  # invalid on purpose
