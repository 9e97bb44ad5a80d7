"""The measurement consumer on the real broker and PostgreSQL: a record whose check-in was stored
but whose offset was never committed (the process died in between) is redelivered and changes
nothing; metric links and their uniqueness survive concurrent claims."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from kafka import KafkaProducer

from application.identity import Actor
from application.momentum import Momentum
from bootstrap import connector, prepare_read_models
from consumers.measurements import MeasurementConsumer
from consumers.topic import ensure_topic
from domain.errors import ConflictError, ValidationError
from settings import Settings
from tests.stack import topic_records

ADMIN, ADA = Actor("root", frozenset({"admin"})), Actor("ada")


def linked_goal(momentum: Momentum, metric: str = "crm.deals") -> str:
    momentum.integrations.register_service_account(ADMIN, account_id="crm", name="CRM")
    goal = str(momentum.goals.create_goal(ADA, title="Sell").aggregate_id)
    momentum.goals.add_key_result(ADA, goal, title="Deals", kind="increase_to", start=0, target=100, metric_key=metric)
    return goal


def records_of(settings: Settings, values: list[bytes]) -> list[Any]:
    """The records as a consumer receives them, after a real producer sent them."""
    ensure_topic(settings.kafka_bootstrap, settings.measurements_topic, 1)
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    for value in values:
        producer.send(settings.measurements_topic, value=value)
    producer.flush()
    producer.close()
    return topic_records(settings, topic=settings.measurements_topic)


def check_ins(momentum: Momentum, goal: str) -> list[Any]:
    momentum.forget_cached_aggregates()
    events = momentum.repository.event_store.get(momentum.goals.get_goal(goal).id)
    return [e for e in events if type(e).__name__ == "KeyResultCheckedIn"]


def test_a_record_redelivered_after_its_check_in_was_stored_changes_nothing(
    settings: Settings, momentum: Momentum
) -> None:
    prepare_read_models(settings)
    goal = linked_goal(momentum)
    message = {"integration": "crm", "idempotencyKey": "deal-1", "metricKey": "crm.deals", "value": 30}
    [record] = records_of(settings, [json.dumps(message).encode()])
    consumer = MeasurementConsumer(settings, momentum, connector(settings))
    assert consumer.handle(record) is None  # stored; the process dies before the offsets commit
    assert consumer.handle(record) is None  # the same record, redelivered after the restart
    assert [(e.value, e.actor) for e in check_ins(momentum, goal)] == [(30.0, "crm")]


def test_two_goals_claiming_one_metric_at_once_leave_it_to_one(settings: Settings, momentum: Momentum) -> None:
    momentum.integrations.register_service_account(ADMIN, account_id="crm", name="CRM")
    goals = [str(momentum.goals.create_goal(ADA, title=f"G{n}").aggregate_id) for n in range(6)]

    def claim(goal: str) -> str:
        try:
            momentum.goals.add_key_result(ADA, goal, title="K", kind="increase_to", start=0, target=1,
                                          metric_key="crm.shared")
            return "linked"
        except ConflictError:
            return "conflict"

    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(claim, goals))
    assert sorted(outcomes) == ["conflict"] * 5 + ["linked"]
    linked = [g for g in goals if any(r.get("metric_key") for r in momentum.goals.get_goal(g).key_results.values())]
    assert linked == [goals[outcomes.index("linked")]]


def test_a_metric_key_is_the_whole_value_the_pattern_allows(momentum: Momentum) -> None:
    """The contract's pattern (JSON Schema, anchored at both ends) refuses a trailing newline:
    so must every command that takes a metric key."""
    goal = linked_goal(momentum)
    _, kr = momentum.goals.add_key_result(ADA, goal, title="Calls", kind="increase_to", start=0, target=9)
    for key in ("crm.calls\n", "crm.calls\r\n", "\n"):
        with pytest.raises(ValidationError):
            momentum.goals.add_key_result(ADA, goal, title="More", kind="increase_to", start=0, target=9,
                                          metric_key=key)
        with pytest.raises(ValidationError):
            momentum.goals.link_metric(ADA, goal, kr, key)


def test_a_service_account_id_is_trimmed_alike_by_every_command(momentum: Momentum) -> None:
    """Registering ' crm ' registers 'crm' (ids are trimmed): deactivating ' crm ' must then
    deactivate it, not answer that it does not exist."""
    momentum.integrations.register_service_account(ADMIN, account_id=" crm ", name="CRM")
    with pytest.raises(ConflictError):
        momentum.integrations.register_service_account(ADMIN, account_id="crm\t", name="CRM again")
    momentum.integrations.deactivate_service_account(ADMIN, " crm ", "replaced")
    account = momentum.integrations.find_service_account("crm")
    assert account is not None and not account.active
