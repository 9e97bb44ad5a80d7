"""Feedback, feedback requests, company values, kudos and allowances, folded from public
event envelopes. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contracts.envelope import Envelope
from projections.readmodel import Fold
from projections.views import evolved, opened


@dataclass(frozen=True)
class FeedbackView:
    aggregate_id: str
    author_id: str
    recipient_id: str
    manager_id: str | None
    kind: str
    visibility: str
    direction: str
    text: str
    goal_id: str | None
    request_id: str | None
    acknowledged_at: str | None
    given_at: str
    created_sequence: int
    version: int
    last_sequence: int


@dataclass(frozen=True)
class RequestView:
    aggregate_id: str
    requester_id: str
    question: str
    goal_id: str | None
    respondents: dict[str, Any]  # person id → {status, feedback_id, reason, at}
    requested_at: str
    created_sequence: int
    version: int
    last_sequence: int


@dataclass(frozen=True)
class ValueView:
    aggregate_id: str
    id: str
    name: str
    description: str
    active: bool
    version: int
    last_sequence: int


@dataclass(frozen=True)
class AllowanceView:
    aggregate_id: str
    giver_id: str
    period: str
    allowance: int
    spent: int
    version: int
    last_sequence: int


@dataclass(frozen=True)
class KudosView:
    id: str
    giver_id: str
    recipient_ids: list[str]
    points: int
    value_id: str
    message: str
    period: str
    given_at: str
    sequence: int


def _given(_: Any, e: Envelope) -> FeedbackView:
    return opened(FeedbackView, e, acknowledged_at=None, given_at=e["time"], created_sequence=e["sequence"])


def _requested(_: Any, e: Envelope) -> RequestView:
    respondents = {p: {"status": "pending", "feedback_id": None, "reason": "", "at": None}
                   for p in e["data"]["respondent_ids"]}
    return opened(RequestView, e, respondents=respondents, requested_at=e["time"], created_sequence=e["sequence"])


def _respondent(status: str) -> Any:
    def apply(view: RequestView, e: Envelope) -> RequestView:
        d = e["data"]
        entry = {"status": status, "feedback_id": d.get("feedback_id"), "reason": d.get("reason", ""), "at": e["time"]}
        return evolved(view, respondents={**view.respondents, d["respondent_id"]: entry})

    return apply


def _value_defined(_: Any, e: Envelope) -> ValueView:
    return opened(ValueView, e, id=e["data"]["value_id"], active=True)


def _allowance_opened(_: Any, e: Envelope) -> AllowanceView:
    return opened(AllowanceView, e, spent=0)


def _kudos_spent(view: AllowanceView, e: Envelope) -> AllowanceView:
    d = e["data"]
    return evolved(view, spent=view.spent + d["points"] * len(d["recipient_ids"]))


def kudos(e: Envelope) -> KudosView:
    d = e["data"]
    return KudosView(d["kudos_id"], d["giver_id"], d["recipient_ids"], d["points"], d["value_id"], d["message"],
                     d["period"], e["time"], e["sequence"])


FEEDBACK = Fold(
    "feedback",
    {"Given": _given, "Acknowledged": lambda v, e: evolved(v, acknowledged_at=e["time"])},
)
REQUESTS = Fold(
    "feedbackrequest",
    {"Requested": _requested, "Answered": _respondent("answered"), "Declined": _respondent("declined")},
)
VALUES = Fold("companyvalue", {"Defined": _value_defined, "Retired": lambda v, _: evolved(v, active=False)})
ALLOWANCES = Fold("recognition", {"Opened": _allowance_opened, "KudosGiven": _kudos_spent})
