"""A fold that fails on an event parks that aggregate (the event and every later one) and
applies everyone else's, in the batch and after it; retry applies the parked events, in
order, once the fold can."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import count
from typing import Any

import psycopg
import pytest
from eventsourcing.domain import Aggregate
from kafka.consumer.fetcher import ConsumerRecord

from bootstrap import prepare_read_models
from bootstrap import read_models as read_model_projections
from consumers.quarantine import Received, fold_or_park, retry
from consumers.topic import SEQUENCE_HEADER
from contracts.envelope import encode, to_envelope
from contracts.privacy import ALGORITHM
from domain.goal import Goal
from projections import quarantine
from settings import Settings

REFUSED_TITLE = "Refused by the read model"
POISON = "poison\x00title"


class Topic:
    """Records as the relay would publish them: one partition, consecutive offsets and sequences."""

    def __init__(self, settings: Settings) -> None:
        self.topic = settings.kafka_topic
        self.source = settings.event_source
        self.sequence = count(1)

    def records(self, *aggregates: Aggregate) -> list[Received]:
        out = []
        for aggregate in aggregates:
            for event in aggregate.collect_events():
                sequence = next(self.sequence)
                value = encode(to_envelope(event, sequence, self.source))
                out.append(Received(self.topic, 0, sequence - 1, str(aggregate.id), value, sequence))
        return out


@pytest.fixture
def conn(settings: Settings) -> Iterator[psycopg.Connection[Any]]:
    prepare_read_models(settings)
    with psycopg.connect(settings.database_url) as connection:
        yield connection


def fold(conn: psycopg.Connection[Any], records: list[Received]) -> list[dict[str, Any]]:
    with conn.transaction(), conn.cursor() as cur:
        return fold_or_park(cur, read_model_projections(), sorted(records, key=lambda r: r.sequence or 0))


def consumed(offset: int, key: bytes, value: bytes) -> ConsumerRecord:
    """A record as the consumer hands it over, with the sequence header the relay writes."""
    return ConsumerRecord("t", 0, -1, offset, 0, 0, key, value, [(SEQUENCE_HEADER, str(offset).encode())], None,
                          len(key), len(value), -1)


def goal(title: str = "Ship") -> Goal:
    return Goal.create(title=title, owner_id="ada", actor="ada")


def poisoned_goal() -> Goal:
    """Created with a NUL in its title, past the domain's checks: PostgreSQL cannot store it."""
    return Goal(cycle_id=None, title=POISON, description="", owner_kind="person", owner_id="ada", parent_id=None,
                weight=1.0, visibility="public", rolls_up=False, status="draft", actor="ada")


def checked_in(g: Goal, times: int = 1) -> Goal:
    for n in range(times):
        g.record_check_in(progress=10 * (n + 1), actor="ada")
    return g


def titles(conn: psycopg.Connection[Any]) -> dict[str, tuple[str, int]]:
    rows = conn.execute("SELECT id::text, title, check_in_count FROM goals").fetchall()
    return {i: (t, c) for i, t, c in rows}


def parked(conn: psycopg.Connection[Any], settings: Settings) -> list[tuple[str, str | None]]:
    return [(p.aggregate_id, p.event_type) for p in quarantine.listed(conn, settings.kafka_topic)]


def test_a_failing_event_parks_its_aggregate_and_the_rest_is_applied(
    conn: psycopg.Connection[Any], settings: Settings
) -> None:
    topic = Topic(settings)
    a, bad, b = goal("A"), poisoned_goal(), goal("B")
    first = topic.records(a, bad)
    checked_in(a)
    checked_in(bad)
    applied = fold(conn, [*first, *topic.records(a, bad, b)])  # bad's check-in is in the same batch

    assert {e["subject"] for e in applied} == {str(a.id), str(b.id)}
    assert titles(conn) == {str(a.id): ("A", 1), str(b.id): ("B", 0)}
    assert parked(conn, settings) == [
        (str(bad.id), "momentum.goal.Created.v2"), (str(bad.id), "momentum.goal.CheckInRecorded.v2")
    ]
    assert "NUL" in quarantine.listed(conn, settings.kafka_topic)[0].error

    checked_in(a)
    checked_in(bad)
    fold(conn, topic.records(a, bad))  # a later batch: the parked aggregate stays parked
    assert titles(conn)[str(a.id)] == ("A", 2)
    assert len(parked(conn, settings)) == 3


def test_a_later_batch_parks_the_events_of_a_parked_aggregate_even_those_that_would_fold(
    conn: psycopg.Connection[Any], settings: Settings
) -> None:
    """Applied, a check-in after a parked rename would put the goal at a version the rename can
    no longer be retried into: it waits behind the rename instead."""
    conn.execute(f"ALTER TABLE goals ADD CONSTRAINT refused CHECK (title <> '{REFUSED_TITLE}')")
    conn.commit()
    topic = Topic(settings)
    renamed = goal("Fine")
    fold(conn, topic.records(renamed))
    renamed.change_title(REFUSED_TITLE, actor="ada")
    fold(conn, topic.records(renamed))
    fold(conn, topic.records(checked_in(renamed)))  # a later batch: the goal's row is there to fold into
    assert titles(conn)[str(renamed.id)] == ("Fine", 0)
    assert parked(conn, settings) == [
        (str(renamed.id), "momentum.goal.DetailsChanged.v2"), (str(renamed.id), "momentum.goal.CheckInRecorded.v2")
    ]


def test_an_unreadable_record_is_parked_and_the_batch_goes_on(
    conn: psycopg.Connection[Any], settings: Settings
) -> None:
    topic = Topic(settings)
    a = goal("A")
    good = topic.records(a)
    garbage = [
        Received(settings.kafka_topic, 0, 100, "k1", b"\xff not json", 100),
        Received(settings.kafka_topic, 0, 101, "k2", b"[1, 2]", None),
        Received(settings.kafka_topic, 0, 102, "k3", b"[" * 100_000, 102),
    ]
    fold(conn, [*good, *garbage])
    assert titles(conn) == {str(a.id): ("A", 0)}
    assert sorted(aggregate for aggregate, _ in parked(conn, settings)) == ["k1", "k2", "k3"]


def test_retry_applies_the_parked_events_in_order_once_the_fold_can(
    conn: psycopg.Connection[Any], settings: Settings
) -> None:
    conn.execute(f"ALTER TABLE goals ADD CONSTRAINT refused CHECK (title <> '{REFUSED_TITLE}')")
    conn.commit()
    topic = Topic(settings)
    refused, poisoned, other = checked_in(goal(REFUSED_TITLE), 2), checked_in(poisoned_goal()), goal("Other")
    fold(conn, topic.records(refused, poisoned, other))
    assert len(parked(conn, settings)) == 5

    first = retry(conn, read_model_projections(), settings.kafka_topic)
    assert [(r.applied, r.still_parked) for r in sorted(first, key=lambda r: r.aggregate_id != str(refused.id))] == [
        (0, 3), (0, 2)
    ]
    assert all("refused" in (r.error or "") or "NUL" in (r.error or "") for r in first)
    assert len(parked(conn, settings)) == 5, "an event that still fails stays parked, and so do its successors"

    conn.execute("ALTER TABLE goals DROP CONSTRAINT refused")  # the fold is fixed
    conn.commit()
    [again] = retry(conn, read_model_projections(), settings.kafka_topic, str(refused.id))
    assert (again.applied, again.still_parked, again.error) == (3, 0, None)
    assert titles(conn)[str(refused.id)] == (REFUSED_TITLE, 2)
    assert [a for a, _ in parked(conn, settings)] == [str(poisoned.id)] * 2

    checked_in(refused)
    fold(conn, topic.records(refused))  # no longer parked: its next event is applied at once
    assert titles(conn)[str(refused.id)] == (REFUSED_TITLE, 3)
    assert retry(conn, read_model_projections(), settings.kafka_topic, str(refused.id)) == []


@pytest.mark.parametrize("kid", ["ada\x00", "\ud800", 5, ["ada"]], ids=["nul", "lone-surrogate", "number", "list"])
def test_a_record_whose_sealed_field_names_no_valid_key_is_parked_and_the_batch_goes_on(
    conn: psycopg.Connection[Any], settings: Settings, kid: object
) -> None:
    topic = Topic(settings)
    a, hostile = goal("A"), goal("B")
    [record] = topic.records(hostile)
    envelope = json.loads(record.value)
    envelope["data"]["description"] = {"sealed": ALGORITHM, "kid": kid, "nonce": "", "ciphertext": ""}
    forged = Received(record.topic, record.partition, record.offset, record.key, json.dumps(envelope).encode(),
                      record.sequence)
    fold(conn, [forged, *topic.records(a)])
    assert titles(conn) == {str(a.id): ("A", 0)}
    assert parked(conn, settings) == [(str(hostile.id), "momentum.goal.Created.v2")]


def test_a_record_whose_key_or_subject_postgresql_cannot_hold_is_parked_and_the_batch_goes_on(
    conn: psycopg.Connection[Any], settings: Settings
) -> None:
    topic = Topic(settings)
    a, hostile = goal("A"), goal("B")
    [record] = topic.records(hostile)
    envelope = json.loads(record.value)
    envelope["subject"] = "b\x00"
    forged = [
        Received.of(record.topic, 0, consumed(100, b"k\x00", b"\xff not json")),
        Received.of(record.topic, 0, consumed(101, b"k\x00", record.value)),
        Received(record.topic, 0, 102, "k2", json.dumps(envelope).encode(), 102),
        Received(record.topic, 0, 103, "k3", json.dumps({**envelope, "subject": "b\ud800"}).encode(), 103),
        # readable, parked behind k2's record: its type is kept in the quarantine as far as it can be
        Received(record.topic, 0, 104, "k2", json.dumps({**envelope, "subject": "k2", "type": "t\x00"}).encode(), 104),
    ]
    fold(conn, [*forged, *topic.records(a)])
    assert titles(conn) == {str(hostile.id): ("B", 0), str(a.id): ("A", 0)}  # readable despite its key
    assert sorted(aggregate for aggregate, _ in parked(conn, settings)) == ["k2", "k2", "k3", "k\ufffd"]
