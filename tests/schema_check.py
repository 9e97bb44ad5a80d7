"""Validates every record of the suite's topics against its event type's published JSON Schema."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field

from jsonschema import Draft202012Validator, FormatChecker
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

from contracts.event_schemas import all_schemas


@dataclass
class Report:
    checked: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def check_topics(bootstrap: str, topics: set[str], timeout_s: float = 60) -> Report:
    """One consumer reads every partition of every given topic that exists, from the beginning."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="momentum-schema-check")
    try:
        existing = topics & set(admin.list_topics())
    finally:
        admin.close()
    report = Report()
    if not existing:
        return report
    validators = {
        name: Draft202012Validator(schema, format_checker=FormatChecker()) for name, schema in all_schemas().items()
    }
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, isolation_level="read_committed", enable_auto_commit=False)
    try:
        parts = [TopicPartition(t, p) for t in sorted(existing) for p in consumer.partitions_for_topic(t) or ()]
        consumer.assign(parts)
        consumer.seek_to_beginning()
        ends = consumer.end_offsets(parts)
        deadline = time.monotonic() + timeout_s
        while any(consumer.position(tp) < ends[tp] for tp in parts):
            if time.monotonic() > deadline:
                report.problems.append("could not read every topic to its end")
                break
            for tp, records in consumer.poll(timeout_ms=500, max_records=5000).items():
                for record in records:
                    _check(validators, report, f"{tp.topic}@{tp.partition}:{record.offset}", record.value)
    finally:
        consumer.close()
    return report


def _check(validators: dict[str, Draft202012Validator], report: Report, where: str, value: bytes) -> None:
    try:
        envelope = json.loads(value)
    except ValueError:
        report.problems.append(f"{where}: not JSON")
        return
    kind = envelope.get("type") if isinstance(envelope, dict) else None
    validator = validators.get(str(kind))
    if validator is None:
        report.problems.append(f"{where}: unknown event type {kind!r}")
        return
    report.checked[str(kind)] += 1
    for error in validator.iter_errors(envelope):
        report.problems.append(f"{where} {kind}: {error.json_path}: {error.message}")
