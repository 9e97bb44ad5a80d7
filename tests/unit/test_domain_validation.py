"""Every number an event holds is finite and within MAX_MAGNITUDE, so is what is computed from
it, and every string is text a database can hold: checked in the domain, before any event."""

from collections.abc import Callable
from typing import Any

import pytest

from domain import key_results as kr
from domain.cycle import Cycle
from domain.directory import Person, Team
from domain.errors import ValidationError
from domain.feedback import Feedback, FeedbackRequest
from domain.goal import Goal
from domain.ids import person_uuid
from domain.recognition import CompanyValue, KudosPolicy, Recognition
from domain.rules import MAX_MAGNITUDE, storable

NUL, SURROGATE = "a\x00b", "a\ud800b"


def goal(**overrides: Any) -> Goal:
    return Goal.create(**{"title": "Ship", "owner_id": "ada", "actor": "ada", **overrides})


def active_goal_with_result() -> Goal:
    g = goal()
    g.approve(actor="bob")
    g.add_key_result(key_result_id="kr1", title="Users", kind="increase_to", start=0, target=10, actor="ada")
    return g


COMMANDS: dict[str, Callable[[str], object]] = {
    "title": lambda t: goal(title=t),
    "description": lambda t: goal(description=t),
    "ownerId": lambda t: goal(owner_id=t),
    "actor": lambda t: goal(actor=t),
    "reason": lambda t: goal().abandon(actor="ada", reason=t),
    "comment": lambda t: goal().propose(actor="ada", comment=t),
    "note": lambda t: active_goal_with_result().check_in_key_result("kr1", value=1, actor="ada", note=t),
    "blockers": lambda t: goal().record_check_in(progress=5, actor="ada", blockers=t),
    "unit": lambda t: goal().add_key_result(
        key_result_id="k", title="K", kind="increase_to", start=0, target=1, actor="ada", unit=t
    ),
    "keyResultId": lambda t: goal().add_key_result(
        key_result_id=t, title="K", kind="increase_to", start=0, target=1, actor="ada"
    ),
    "text": lambda t: Feedback.give(
        author_id="ada", recipient_id="bob", manager_id=None, kind="praise", visibility="public",
        direction="peer", text=t,
    ),
    "question": lambda t: FeedbackRequest.ask(requester_id="ada", respondent_ids=["bob"], question=t),
    "respondentIds": lambda t: FeedbackRequest.ask(requester_id="ada", respondent_ids=[t], question="?"),
    "message": lambda t: Recognition.open(giver_id="ada", period="2027-01", policy=KudosPolicy()).give(
        kudos_id="k1", recipient_ids=["bob"], points=1, value_id="v", message=t
    ),
    "valueId": lambda t: CompanyValue.define(value_id=t, name="Care", description="", actor="root"),
    "name": lambda t: Team.register(team_id="t1", name=t, actor="root"),
    "email": lambda t: Person.register(person_id="p1", name="P", email=f"{t}@example.com", actor="root"),
    "personId": lambda t: Person.register(person_id=t, name="P", email="p@example.com", actor="root"),
    "managerId": lambda t: Person.register(person_id="p1", name="P", email="p@example.com", actor="root",
                                           manager_id=t),
    "cycle reason": lambda t: Cycle.create(name="Q1", starts_on="2027-01-01", ends_on="2027-03-31",
                                           actor="root").close(reason=t, actor="root"),
}


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["NUL", "lone surrogate"])
@pytest.mark.parametrize("field", sorted(COMMANDS))
def test_every_text_field_refuses_what_is_not_text(field: str, bad: str) -> None:
    with pytest.raises(ValidationError) as raised:
        COMMANDS[field](bad)
    assert raised.value.code == "VALIDATION"
    assert raised.value.field == field.split()[-1]


@pytest.mark.parametrize("bad", [NUL, SURROGATE])
def test_an_id_that_is_not_text_has_no_aggregate_id(bad: str) -> None:
    with pytest.raises(ValidationError):
        person_uuid(bad)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (-1e308, 1e308),  # target - start overflows to inf
        (0, MAX_MAGNITUDE * 10),
        (-MAX_MAGNITUDE * 1.5, 0),
        (0, float("inf")),
        (float("nan"), 1),
        (0, 10**400),  # an int too large for a float
    ],
)
def test_a_key_result_range_is_bounded(start: float, target: float) -> None:
    with pytest.raises(ValidationError) as raised:
        goal().add_key_result(key_result_id="k", title="K", kind="increase_to", start=start, target=target,
                              actor="ada")
    assert raised.value.field in ("start", "target")


@pytest.mark.parametrize("value", [1e308, -MAX_MAGNITUDE * 2, float("inf"), float("-inf"), float("nan"), 10**30])
def test_a_check_in_value_is_bounded(value: float) -> None:
    g = active_goal_with_result()
    with pytest.raises(ValidationError) as raised:
        g.check_in_key_result("kr1", value=value, actor="ada")
    assert raised.value.field == "value"


def test_a_revised_target_is_bounded() -> None:
    g = active_goal_with_result()
    with pytest.raises(ValidationError) as raised:
        g.revise_target("kr1", target=1e300, reason="more", actor="ada")
    assert raised.value.field == "target"


def test_the_extremes_of_the_bounds_give_a_finite_progress() -> None:
    g = goal()
    g.add_key_result(key_result_id="k", title="K", kind="increase_to", start=-MAX_MAGNITUDE,
                     target=MAX_MAGNITUDE, actor="ada")
    g.check_in_key_result("k", value=MAX_MAGNITUDE, actor="ada")
    assert g.key_results["k"]["progress"] == 100.0
    tiny = goal()
    tiny.add_key_result(key_result_id="k", title="K", kind="increase_to", start=0, target=5e-324, actor="ada")
    tiny.check_in_key_result("k", value=MAX_MAGNITUDE, actor="ada")  # the share overflows, and is clamped
    assert tiny.key_results["k"]["progress"] == 100.0


def test_a_derived_progress_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        kr.progress("increase_to", 0.0, float("inf"), float("inf"))
    assert raised.value.field == "progress"


@pytest.mark.parametrize("weight", [1e400, 10**400, float("nan")])
def test_weights_are_bounded(weight: float) -> None:
    with pytest.raises(ValidationError) as raised:
        goal(weight=weight)
    assert raised.value.field == "weight"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"goal_id": NUL}, "goalId"),
        ({"changes": {"title": SURROGATE}}, "changes"),
        ({"changes": {SURROGATE: "x"}}, "changes"),
        ({"recipient_ids": ["ok", NUL]}, "recipientIds"),
        ({"progress": float("nan")}, "progress"),
        ({"points": 10**20}, "points"),
        ({"value": -1e300}, "value"),
    ],
)
def test_an_events_values_are_all_checked_at_any_depth(values: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        storable(values)
    assert raised.value.field == field


def test_a_storable_event_passes_unchanged() -> None:
    storable({"title": "Ship ✓", "weight": 1.5, "rolls_up": True, "changes": {"weight": 2}, "ids": ["a"], "x": None})
