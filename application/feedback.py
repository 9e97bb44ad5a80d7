"""Feedback commands: give, acknowledge, request, decline. The direction is read from the
org chart at the moment feedback is given and stored in the event."""

from __future__ import annotations

from dataclasses import dataclass

from eventsourcing.persistence import IntegrityError

from application.directory import MAX_MANAGER_CHAIN, DirectoryCommands
from application.goals import GoalCommands
from application.identity import Actor
from application.store import EventStore, Stored
from domain.errors import ConflictError, ForbiddenError, ValidationError
from domain.feedback import Feedback, FeedbackRequest
from shared.visibility import may_see_feedback, may_see_request


@dataclass(frozen=True)
class FeedbackCommands:
    app: EventStore
    directory: DirectoryCommands
    goals: GoalCommands

    def give_feedback(
        self, actor: Actor, *, recipient_id: str, kind: str, visibility: str, text: str, goal_id: str | None = None,
        request_id: str | None = None,
    ) -> Stored:
        recipient = self.directory.active_person(recipient_id, "recipientId")
        request = None if request_id is None else self._visible_request(actor, request_id)
        goal = None if goal_id is None else str(self.goals.visible_goal(actor, goal_id, "goalId").id)
        if request is not None:
            if recipient.person_id != request.requester_id:
                raise ValidationError("an answer goes to the person who asked", field="recipientId")
            request.require_pending(actor.id)
            goal = goal or request.goal_id  # the requester named it, and could see it, when asking
        feedback = Feedback.give(
            author_id=actor.id,
            recipient_id=recipient.person_id,
            manager_id=recipient.manager_id,
            kind=kind,
            visibility=visibility,
            direction=self.direction(actor.id, recipient.person_id),
            text=text,
            goal_id=goal,
            request_id=None if request is None else str(request.id),
        )
        if request is None:
            return self.app.store(feedback)
        request.answer(respondent_id=actor.id, feedback_id=str(feedback.id))
        try:
            return self.app.store(feedback, request)
        except IntegrityError:
            raise ConflictError("the request changed meanwhile; retry", field="requestId") from None

    def acknowledge_feedback(self, actor: Actor, feedback_id: str) -> Stored:
        def acknowledge(feedback: Feedback) -> None:
            if feedback.recipient_id != actor.id:
                raise ForbiddenError("only the recipient may acknowledge feedback")
            feedback.acknowledge(actor=actor.id)

        visible = self.app.get(Feedback, feedback_id, visible=lambda f: may_see_feedback(actor.id, vars(f)))
        return self.app.update(Feedback, feedback_id, acknowledge, just_read=visible)

    def request_feedback(
        self, actor: Actor, *, respondent_ids: list[str], question: str, goal_id: str | None = None
    ) -> Stored:
        request = FeedbackRequest.ask(
            requester_id=actor.id,
            respondent_ids=respondent_ids,
            question=question,
            goal_id=None if goal_id is None else str(self.goals.visible_goal(actor, goal_id, "goalId").id),
        )
        for person in request.status:
            self.directory.active_person(person, "respondentIds")
        return self.app.store(request)

    def decline_feedback_request(self, actor: Actor, request_id: str, reason: str = "") -> Stored:
        request = self._visible_request(actor, request_id)
        return self.app.update(
            FeedbackRequest, request_id, lambda r: r.decline(respondent_id=actor.id, reason=reason), just_read=request
        )

    def get_feedback(self, feedback_id: str) -> Feedback:
        return self.app.get(Feedback, feedback_id)

    def get_feedback_request(self, request_id: str) -> FeedbackRequest:
        return self.app.get(FeedbackRequest, request_id, field="requestId")

    def _visible_request(self, actor: Actor, request_id: str) -> FeedbackRequest:
        """Only its requester and the people it asks may see a request (or learn that it exists)."""
        return self.app.get(
            FeedbackRequest, request_id, field="requestId",
            visible=lambda r: may_see_request(actor.id, r.requester_id, r.status),
        )

    def direction(self, author_id: str, recipient_id: str) -> str:
        """downward when the author is above the recipient in the org chart, upward when
        below, peer otherwise (an author outside the directory gives peer feedback)."""
        if author_id in self._managers_of(recipient_id):
            return "downward"
        if recipient_id in self._managers_of(author_id):
            return "upward"
        return "peer"

    def _managers_of(self, person_id: str) -> list[str]:
        chain: list[str] = []
        person = self.directory.find_person(person_id)
        while person is not None and person.manager_id is not None and len(chain) < MAX_MANAGER_CHAIN:
            if person.manager_id in chain:
                break
            chain.append(person.manager_id)
            person = self.directory.find_person(person.manager_id)
        return chain
