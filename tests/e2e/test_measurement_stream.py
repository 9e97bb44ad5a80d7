"""Measurements published to momentum.measurements with a real kafka-python producer, duplicates
and bad records among them, while the consumer is SIGKILLed mid-stream and restarted: every good
measurement is a check-in exactly once, every bad record is one dead letter with its reason."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from kafka import KafkaProducer

from application.identity import Actor
from application.momentum import Momentum
from bootstrap import build_momentum, prepare_read_models
from consumers.topic import ensure_topic
from settings import Settings
from tests.e2e.kills import finish_after_kills
from tests.stack import Process, fresh_database, scalar

ADMIN = Actor("root", frozenset({"admin"}))
ADA = Actor("ada")
GOOD = 300


@pytest.fixture
def small_batches() -> Iterator[Settings]:
    with fresh_database(measurements_poll_records=7) as settings:
        yield settings


def seed(app: Momentum) -> dict[str, str]:
    """A CRM service account and key results linked to metrics; one in a cycle that is then closed."""
    app.integrations.register_service_account(ADMIN, account_id="crm", name="CRM sync")
    app.directory.register_person(ADMIN, person_id="ada", name="Ada", email="ada@example.com")
    open_cycle = app.cycles.create_cycle(ADMIN, name="Q1", starts_on="2026-01-01", ends_on="2026-03-31")
    closed_cycle = app.cycles.create_cycle(ADMIN, name="Q0", starts_on="2025-10-01", ends_on="2025-12-31")
    goals = {}
    for metric, kind, cycle in (("crm.deals", "increase_to", open_cycle), ("crm.launch", "milestone", open_cycle),
                                ("crm.old", "increase_to", closed_cycle)):
        goal = app.goals.create_goal(ADA, title=metric, cycle_id=str(cycle.aggregate_id)).aggregate_id
        app.goals.add_key_result(ADA, str(goal), title=metric, kind=kind, start=0, target=10_000, metric_key=metric)
        goals[metric] = str(goal)
    app.cycles.close_cycle(ADMIN, str(closed_cycle.aggregate_id), reason="over")
    return goals


def measurement(key: str, value: Any, metric: str = "crm.deals", integration: str = "crm") -> bytes:
    return json.dumps({"integration": integration, "idempotencyKey": key, "metricKey": metric, "value": value}).encode()


BAD: dict[str, tuple[bytes | None, str]] = {  # label → (record value, reason)
    "unknown-metric": (measurement("bad-1", 5, metric="crm.nothing"), "UNKNOWN_METRIC"),
    "malformed-metric": (measurement("bad-2", 5, metric="crm deals\u0000"), "UNKNOWN_METRIC"),
    "string-value": (measurement("bad-3", "12"), "INVALID_VALUE"),
    "boolean-value": (measurement("bad-4", True), "INVALID_VALUE"),
    "nan": (b'{"integration": "crm", "idempotencyKey": "bad-5", "metricKey": "crm.deals", "value": NaN}',
            "INVALID_VALUE"),
    "overflow": (b'{"integration": "crm", "idempotencyKey": "bad-6", "metricKey": "crm.deals", "value": 1e400}',
                 "INVALID_VALUE"),
    "too-large": (measurement("bad-7", 1e16), "INVALID_VALUE"),
    "milestone-half": (measurement("bad-8", 0.5, metric="crm.launch"), "INVALID_VALUE"),
    "closed-cycle": (measurement("bad-9", 5, metric="crm.old"), "CLOSED"),
    "unknown-integration": (measurement("bad-10", 5, integration="mallory"), "UNKNOWN_INTEGRATION"),
    "person-as-integration": (measurement("bad-11", 5, integration="ada"), "UNKNOWN_INTEGRATION"),
    "empty-key": (measurement("", 5), "INVALID_IDEMPOTENCY_KEY"),
    "not-utf8": (b"\xff\xfe{\x00", "MALFORMED"),
    "not-json": (b"value=5", "MALFORMED"),
    "array": (b"[1, 2]", "MALFORMED"),
    "missing-field": (b'{"integration": "crm", "idempotencyKey": "bad-12", "value": 5}', "MALFORMED"),
    "unknown-field": (json.dumps({"integration": "crm", "idempotencyKey": "bad-13", "metricKey": "crm.deals",
                                  "value": 5, "owner": "root"}).encode(), "MALFORMED"),
    "integration-number": (b'{"integration": 7, "idempotencyKey": "bad-14", "metricKey": "crm.deals", "value": 5}',
                           "MALFORMED"),
    "deep": (b"[" * 100_000 + b"]" * 100_000, "MALFORMED"),
    "tombstone": (None, "MALFORMED"),
}


def publish(settings: Settings) -> tuple[dict[str, float], int]:
    """GOOD measurements, then a duplicate of every third (another value: the first one counts),
    the bad records shuffled in among them; returns the applied value by key and the record count."""
    ensure_topic(settings.kafka_bootstrap, settings.measurements_topic, settings.kafka_partitions)
    rng = random.Random(18)
    records: list[tuple[bytes, bytes | None]] = []
    applied: dict[str, float] = {}
    for n in range(GOOD):
        key, value = f"deal-{n}", float(rng.randrange(0, 10_000))
        records.append((key.encode(), measurement(key, value)))
        applied[key] = value
    duplicates = [(f"deal-{n}".encode(), measurement(f"deal-{n}", -1.0)) for n in range(0, GOOD, 3)]
    records += rng.sample(duplicates, len(duplicates))  # after their originals: same key, same partition
    for label, (value, _) in BAD.items():
        records.insert(rng.randrange(0, len(records) + 1), (label.encode(), value))
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    for key, value in records:
        producer.send(settings.measurements_topic, key=key, value=value)
    producer.flush()
    producer.close()
    return applied, len(records)


def test_a_killed_consumer_applies_every_measurement_once_and_every_bad_one_is_a_dead_letter(
    small_batches: Settings, log_dir: Path
) -> None:
    prepare_read_models(small_batches)
    app = build_momentum(small_batches)
    goals = seed(app)
    applied, total = publish(small_batches)
    consumer = Process("measurements", small_batches, log_dir)
    handled = lambda: scalar(small_batches, "SELECT sum(next_offset) FROM measurement_positions")  # noqa: E731

    finish_after_kills(consumer, "consumer", handled, total, 120)

    app.forget_cached_aggregates()
    goal = app.goals.get_goal(goals["crm.deals"])
    events = [e for e in app.repository.event_store.get(goal.id) if type(e).__name__ == "KeyResultCheckedIn"]
    assert sorted(e.value for e in events) == sorted(applied.values()), "every good measurement once, the first value"
    assert {e.actor for e in events} == {"crm"}, "recorded with the integration as its actor"
    with psycopg.connect(small_batches.database_url) as conn:
        measured = conn.execute("SELECT count(*) FROM momentum_events WHERE topic LIKE %s",
                                ("%Measurement.Recorded",)).fetchone()
        letters = conn.execute('SELECT payload, reason, partition, "offset" FROM measurement_dead_letters').fetchall()
    assert measured == (GOOD,)
    assert len({(p, o) for _, _, p, o in letters}) == len(letters), "each bad record buried once"
    by_payload = {bytes(payload): reason for payload, reason, _, _ in letters}
    assert len(letters) == len(BAD)
    assert by_payload == {(value or b""): reason for value, reason in BAD.values()}
    app.close()
