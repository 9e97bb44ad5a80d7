"""Feedback, feedback requests, company values, kudos and allowances, folded from public
event envelopes. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contracts.envelope import Envelope
from projections.readmodel import Fold
from projections.views import evolved


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
    d = e["data"]
    return FeedbackView(
        e["subject"], d["author_id"], d["recipient_id"], d["manager_id"], d["kind"], d["visibility"],
        d["direction"], d["text"], d["goal_id"], d["request_id"], None, e["time"], e["sequence"], 0, 0,
    )


def _requested(_: Any, e: Envelope) -> RequestView:
    d = e["data"]
    respondents = {p: {"status": "pending", "feedback_id": None, "reason": "", "at": None} for p in d["respondent_ids"]}
    return RequestView(e["subject"], d["requester_id"], d["question"], d["goal_id"], respondents, e["time"],
                       e["sequence"], 0, 0)


def _respondent(status: str) -> Any:
    def apply(view: RequestView, e: Envelope) -> RequestView:
        d = e["data"]
        entry = {"status": status, "feedback_id": d.get("feedback_id"), "reason": d.get("reason", ""), "at": e["time"]}
        return evolved(view, respondents={**view.respondents, d["respondent_id"]: entry})

    return apply


def _value_defined(_: Any, e: Envelope) -> ValueView:
    d = e["data"]
    return ValueView(e["subject"], d["value_id"], d["name"], d["description"], True, 0, 0)


def _allowance_opened(_: Any, e: Envelope) -> AllowanceView:
    d = e["data"]
    return AllowanceView(e["subject"], d["giver_id"], d["period"], d["allowance"], 0, 0, 0)


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
