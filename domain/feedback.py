"""Feedback from one person to another, and requests for feedback. Who may act and the
direction (from the org chart) are decided by the application; the facts are kept here."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError, ValidationError
from domain.rules import choice as _choice
from domain.rules import free_text, identifier, other_people

KINDS = ("praise", "constructive", "note")
VISIBILITIES = ("private", "manager", "public")
DIRECTIONS = ("downward", "upward", "peer")
MAX_RESPONDENTS = 20


class Feedback(Aggregate):
    """Feedback given to a person, optionally about a goal or answering a request. Its
    visibility is fixed once given: private (author and recipient), manager (also the
    recipient's manager at the time it was given, `manager_id`) or public."""

    @classmethod
    def give(cls, **given: str | None) -> Feedback:
        """Feedback with the fields of its Given event but `actor` (the author acts), checked;
        goal_id and request_id may be left out."""
        if given["author_id"] == given["recipient_id"]:
            raise ValidationError("feedback goes to someone else", field="recipientId")
        facts: dict[str, Any] = {"goal_id": None, "request_id": None, **given, "actor": given["author_id"]}
        facts.update(
            author_id=identifier(facts["author_id"], "authorId"),
            recipient_id=identifier(facts["recipient_id"], "recipientId"),
            kind=_choice(facts["kind"], KINDS, "kind"),
            visibility=_choice(facts["visibility"], VISIBILITIES, "visibility"),
            direction=_choice(facts["direction"], DIRECTIONS, "direction"),
            text=free_text(facts["text"], "text", required=True),
        )
        return cls(**facts)

    @event("Given")
    def __init__(
        self,
        *,
        author_id: str,
        recipient_id: str,
        manager_id: str | None,
        kind: str,
        visibility: str,
        direction: str,
        text: str,
        goal_id: str | None,
        request_id: str | None,
        actor: str,
    ) -> None:
        self.author_id = author_id
        self.recipient_id = recipient_id
        self.manager_id = manager_id
        self.visibility = visibility
        self.acknowledged = False

    def acknowledge(self, *, actor: str) -> None:
        if self.acknowledged:
            raise ConflictError("this feedback is already acknowledged")
        self._acknowledged(actor=actor)

    @event("Acknowledged")
    def _acknowledged(self, *, actor: str) -> None:
        self.acknowledged = True


class FeedbackRequest(Aggregate):
    """A person asks one or more people for feedback, optionally about a goal, with a
    question; each respondent answers (with feedback linked to the request) or declines."""

    @classmethod
    def ask(
        cls, *, requester_id: str, respondent_ids: list[str], question: str, goal_id: str | None = None
    ) -> FeedbackRequest:
        people = other_people(respondent_ids, "respondentIds", me=requester_id, most=MAX_RESPONDENTS, noun="respondent")
        return cls(
            requester_id=requester_id,
            respondent_ids=people,
            question=free_text(question, "question", required=True),
            goal_id=goal_id,
            actor=requester_id,
        )

    @event("Requested")
    def __init__(
        self, *, requester_id: str, respondent_ids: list[str], question: str, goal_id: str | None, actor: str
    ) -> None:
        self.requester_id = requester_id
        self.goal_id = goal_id
        self.status = {person: "pending" for person in respondent_ids}

    def require_pending(self, respondent_id: str) -> None:
        status = self.status.get(respondent_id)
        if status is None:
            raise ValidationError("this request was not sent to you", field="requestId")
        if status != "pending":
            raise ConflictError(f"you have already {status} this request")

    def answer(self, *, respondent_id: str, feedback_id: str) -> None:
        self.require_pending(respondent_id)
        self._answered(respondent_id=respondent_id, feedback_id=feedback_id, actor=respondent_id)

    @event("Answered")
    def _answered(self, *, respondent_id: str, feedback_id: str, actor: str) -> None:
        self.status[respondent_id] = "answered"

    def decline(self, *, respondent_id: str, reason: str = "") -> None:
        self.require_pending(respondent_id)
        self._declined(
            respondent_id=respondent_id,
            reason=free_text(reason, "reason"),
            actor=respondent_id,
        )

    @event("Declined")
    def _declined(self, *, respondent_id: str, reason: str, actor: str) -> None:
        self.status[respondent_id] = "declined"
