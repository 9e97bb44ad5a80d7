"""Pure rules of feedback, kudos allowances and calendar periods."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import ConflictError, ValidationError
from domain.feedback import Feedback, FeedbackRequest
from domain.periods import bounds, period_of
from domain.recognition import KudosPolicy, Recognition


def allowance(**policy: int) -> Recognition:
    return Recognition.open(giver_id="ada", period="2027-03", policy=KudosPolicy(**policy))


def test_an_allowance_pays_each_recipient_and_never_goes_below_zero() -> None:
    budget = allowance(allowance=50, recipient_cap=30)
    budget.give(kudos_id="k1", recipient_ids=["bob", "eve"], points=20, value_id="v", message="hi")
    assert (budget.spent, budget.remaining) == (40, 10)
    with pytest.raises(ConflictError):
        budget.give(kudos_id="k2", recipient_ids=["cid"], points=11, value_id="v", message="hi")
    with pytest.raises(ConflictError):
        budget.give(kudos_id="k3", recipient_ids=["bob"], points=10 + 1, value_id="v", message="hi")
    budget.give(kudos_id="k4", recipient_ids=["bob"], points=10, value_id="v", message="hi")
    assert budget.remaining == 0 and budget.received == {"bob": 30, "eve": 20}


@pytest.mark.parametrize(
    ("recipients", "points"),
    [([], 1), (["ada"], 1), (["bob", "bob"], 1), (["bob"], 0), (["bob"], 2.5), (["bob"], True), (["bob"], 51)],
)
def test_bad_kudos_are_invalid(recipients: list[str], points: object) -> None:
    with pytest.raises(ValidationError):
        allowance().give(kudos_id="k", recipient_ids=recipients, points=points, value_id="v", message="hi")


def test_feedback_is_given_to_someone_else_with_a_known_kind_and_visibility() -> None:
    good = {"author_id": "ada", "recipient_id": "bob", "manager_id": "maya", "kind": "praise",
            "visibility": "manager", "direction": "peer", "text": "thanks"}
    feedback = Feedback.give(**good)
    feedback.acknowledge(actor="bob")
    with pytest.raises(ConflictError):
        feedback.acknowledge(actor="bob")
    for bad in ({"recipient_id": "ada"}, {"kind": "x"}, {"visibility": "team"}, {"direction": "up"}, {"text": ""}):
        with pytest.raises(ValidationError):
            Feedback.give(**{**good, **bad})


def test_a_request_is_answered_or_declined_once_by_each_person_asked() -> None:
    request = FeedbackRequest.ask(requester_id="bob", respondent_ids=["ada", "eve"], question="How?")
    request.answer(respondent_id="ada", feedback_id="f")
    request.decline(respondent_id="eve", reason="")
    for person in ("ada", "eve"):
        with pytest.raises(ConflictError):
            request.decline(respondent_id=person)
    with pytest.raises(ValidationError):
        request.answer(respondent_id="maya", feedback_id="f")


def test_periods_have_keys_and_bounds() -> None:
    moment = datetime(2027, 3, 31, 23, 59, tzinfo=UTC)
    assert [period_of(moment, k) for k in ("week", "month", "quarter", "year")] == [
        "2027-W13", "2027-03", "2027-Q1", "2027"
    ]
    assert bounds("2027-12") == (datetime(2027, 12, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
    assert bounds("2027-Q4") == (datetime(2027, 10, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
    assert bounds("2027-W13") == (datetime(2027, 3, 29, tzinfo=UTC), datetime(2027, 4, 5, tzinfo=UTC))
    for bad in ("2027-13", "2027-W60", "March", "2027-Q5", "", "9999-W52", "9999-12", "9999-Q4", "0000-01"):
        with pytest.raises(ValidationError):
            bounds(bad)


def test_a_refused_period_is_quoted_short() -> None:
    with pytest.raises(ValidationError) as refused:
        bounds("2" * 100_000)
    assert len(str(refused.value)) < 100
