"""Kudos on the real event store: company values, the allowance per giver and period, the
cap per recipient, and each refusal a typed error with nothing stored."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest

from application.momentum import Momentum
from domain.errors import DomainError
from domain.periods import period_of
from domain.recognition import KudosPolicy, Recognition
from tests.integration.org import ADA, ADMIN, BOB, MAYA, build_org
from tests.integration.test_feedback_commands import refused


@pytest.fixture
def org(momentum: Momentum) -> str:
    momentum.recognition.kudos_policy = KudosPolicy(allowance=100, period="month", recipient_cap=40)
    cycle = build_org(momentum)
    momentum.recognition.define_value(ADMIN, value_id="ownership", name="Ownership", description="We own outcomes")
    momentum.recognition.define_value(ADMIN, value_id="candour", name="Candour")
    momentum.recognition.retire_value(ADMIN, "candour")
    return cycle


def kudos(app: Momentum, giver: Any, recipients: list[str], points: int, value: str = "ownership") -> Any:
    return app.recognition.give_kudos(giver, recipient_ids=recipients, value_id=value, points=points, message="thanks!")


def recognition(app: Momentum, giver: str) -> Recognition:
    period = period_of(datetime.now(UTC), "month")
    return app.repository.get(Recognition.create_id(giver, period))


def test_kudos_are_paid_from_the_givers_allowance_for_the_period(momentum: Momentum, org: str) -> None:
    kudos(momentum, ADA, ["bob", "maya"], 20)
    kudos(momentum, ADA, ["eve"], 30)
    allowance = recognition(momentum, "ada")
    assert (allowance.allowance, allowance.spent, allowance.remaining) == (100, 70, 30)
    assert allowance.received == {"bob": 20, "maya": 20, "eve": 30}


def test_every_anti_gaming_rule_refuses_with_a_typed_error_and_stores_nothing(momentum: Momentum, org: str) -> None:
    kudos(momentum, ADA, ["bob"], 30)
    kudos(momentum, ADA, ["maya"], 40)
    assert "yourself" in refused(momentum, "VALIDATION", kudos, momentum, ADA, ["ada"], 5)
    assert "yourself" in refused(momentum, "VALIDATION", kudos, momentum, ADA, ["bob", "ada"], 5)
    refused(momentum, "VALIDATION", kudos, momentum, ADA, [], 5)
    refused(momentum, "VALIDATION", kudos, momentum, ADA, ["bob", "bob"], 5)
    refused(momentum, "VALIDATION", kudos, momentum, ADA, ["nobody"], 5)
    refused(momentum, "VALIDATION", kudos, momentum, ADA, ["eve"], 0)
    refused(momentum, "VALIDATION", kudos, momentum, ADA, ["eve"], 41)
    refused(momentum, "VALIDATION", kudos, momentum, ADA, ["eve"], 5, "candour")
    refused(momentum, "VALIDATION", kudos, momentum, ADA, ["eve"], 5, "no-such-value")
    assert "more than 40" in refused(momentum, "CONFLICT", kudos, momentum, ADA, ["bob"], 11)
    assert "allowance" in refused(momentum, "CONFLICT", kudos, momentum, ADA, ["eve"], 31)
    refused(momentum, "FORBIDDEN", kudos, momentum, ADMIN, ["eve"], 5)
    assert recognition(momentum, "ada").remaining == 30


def test_only_admins_keep_the_list_of_values(momentum: Momentum, org: str) -> None:
    refused(momentum, "FORBIDDEN", momentum.recognition.define_value, MAYA, value_id="speed", name="Speed")
    refused(momentum, "FORBIDDEN", momentum.recognition.retire_value, MAYA, "ownership")
    refused(momentum, "CONFLICT", momentum.recognition.define_value, ADMIN, value_id="ownership", name="Again")
    refused(momentum, "CONFLICT", momentum.recognition.retire_value, ADMIN, "candour")
    refused(momentum, "VALIDATION", momentum.recognition.define_value, ADMIN, value_id="speed", name="")


def test_racing_kudos_never_take_the_allowance_below_zero(momentum: Momentum, org: str) -> None:
    momentum.recognition.kudos_policy = KudosPolicy(allowance=100, period="month", recipient_cap=100)

    def attempt(n: int) -> bool:
        try:
            kudos(momentum, BOB, [("ada", "maya", "eve")[n % 3]], 15)
            return True
        except DomainError as error:
            assert error.code == "CONFLICT"
            return False

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(attempt, range(16)))
    allowance = recognition(momentum, "bob")
    assert allowance.spent == 15 * sum(results) <= 100 and allowance.version == 1 + sum(results)
    assert sum(results) >= 1
