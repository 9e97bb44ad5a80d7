"""The relay builds record values from the stored JSON (contracts/published.py): byte for byte the
envelope the decoded event makes, for every event of a seeded month, private ones included; an
event it cannot read that way gets None, and the relay then builds the envelope from the decoded
event."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from application.identity import Actor
from application.momentum import Momentum
from consumers.relay import published_envelope
from contracts.envelope import encode
from contracts.published import PublishedValues
from tests.integration.scenario import clock, seed

__all__ = ["clock"]
SOURCE = "urn:momentum:test"


def both(values: PublishedValues, app: Momentum, notification: Any) -> tuple[Any, tuple[str, bytes]]:
    envelope = published_envelope(app, notification, SOURCE)
    built = values.value(notification.topic, str(notification.originator_id), notification.originator_version,
                         notification.id, notification.state)
    return built, (envelope["type"], encode(envelope))


def test_every_stored_event_of_a_month_is_published_as_the_decoded_event_would_be(
    momentum: Momentum, clock: Any
) -> None:
    seed(momentum)
    ada = Actor("ada")
    private = momentum.goals.create_goal(ada, title="Private \u00e9 \"quoted\" \\ \n", visibility="private")
    momentum.goals.record_check_in(ada, str(private.aggregate_id), progress=1.5, note="sealed note")
    values = PublishedValues(SOURCE)
    notifications = momentum.recorder.select_notifications(start=None, limit=10_000)
    types = set()
    for notification in notifications:
        built, expected = both(values, momentum, notification)
        assert built == expected, notification.topic
        types.add(expected[0])
    assert len(notifications) > 50 and len(types) >= 12, types
    assert any(b'"sealed"' in v for _, v in [both(values, momentum, n)[1] for n in notifications])


def test_an_event_to_upcast_or_with_another_transcoded_value_is_left_to_the_decoded_event(
    momentum: Momentum,
) -> None:
    momentum.goals.create_goal(Actor("ada"), title="Ship")
    [stored] = momentum.recorder.select_notifications(start=None, limit=10)
    values = PublishedValues(SOURCE)
    subject = str(stored.originator_id)
    assert values.value(stored.topic, subject, 1, 1, stored.state) is not None
    state = json.loads(stored.state)
    v1 = {k: v for k, v in state.items() if k not in ("class_version", "private_to")}
    assert values.value(stored.topic, subject, 1, 1, json.dumps(v1).encode()) is None
    nested = {**state, "title": [{"_type_": "uuid_hex", "_data_": subject.replace("-", "")}]}
    assert values.value(stored.topic, subject, 1, 1, json.dumps(nested).encode()) is None
    decimal = {**state, "weight": {"_type_": "decimal_str", "_data_": "1.5"}}
    assert values.value(stored.topic, subject, 1, 1, json.dumps(decimal).encode()) is None
    uuid = {**state, "parent_id": {"_type_": "uuid_hex", "_data_": subject.replace("-", "")}}
    built = values.value(stored.topic, subject, 1, 1, json.dumps(uuid).encode())
    assert built is not None and json.loads(built[1])["data"]["parent_id"] == subject


# read from the stored JSON: the record value must be the decoded event's, byte for byte
FAST = [0.0, -0.0, 1e-4, 1.5, 9999999999999998.0, 12345678, True, None, "\u2028 \x7f \x1f \" \\ é"]
# the same, or None (the relay then builds the value from the decoded event)
EDGES = [9.9e-5, 1e16, -2.5e17, 5e-324, float("nan"), float("inf"), 2**63 - 1, 2**64, -(2**70),
         "1234567890123456789", [1.5, 1e16], {"a": 1e-7}]


def test_values_at_the_edges_of_the_fast_encoder_are_published_as_the_decoded_event_would_be(
    momentum: Momentum,
) -> None:
    goal = momentum.goals.create_goal(Actor("ada"), title="Ship")
    momentum.goals.record_check_in(Actor("ada"), str(goal.aggregate_id), progress=1.5, note="n")
    check_in = momentum.recorder.select_notifications(start=None, limit=10)[-1]
    state = json.loads(check_in.state)
    values = PublishedValues(SOURCE)
    for edge in FAST + EDGES:
        edited = replace(check_in, state=json.dumps({**state, "progress": edge, "note": edge}).encode())
        built, expected = both(values, momentum, edited)
        assert built == expected or (edge in EDGES and built is None), edge
