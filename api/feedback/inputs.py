"""GraphQL inputs of the feedback, request, kudos and company-value mutations."""

from __future__ import annotations

import strawberry

from api import descriptions as d
from api.feedback.types import FeedbackKind, FeedbackVisibility


@strawberry.input(description="Feedback to give, or an answer to a request.")
class GiveFeedbackInput:
    recipient_id: strawberry.ID = strawberry.field(
        description="Who it is for: an active person other than yourself (the requester, to answer a request)."
    )
    kind: FeedbackKind = strawberry.field(description="What it is meant as.")
    visibility: FeedbackVisibility = strawberry.field(description="Who may read it; it cannot be changed later.")
    text: str = strawberry.field(description="The feedback itself, required. " + d.TEXT)
    goal_id: strawberry.ID | None = strawberry.field(
        default=None, description="A goal it is about, that you may see; null for none."
    )
    request_id: strawberry.ID | None = strawberry.field(
        default=None, description="Answer this request (one that asks you); null for unrequested feedback."
    )


@strawberry.input(description="A request for feedback.")
class RequestFeedbackInput:
    respondent_ids: list[strawberry.ID] = strawberry.field(
        description="The people to ask: 1 to 20 distinct active people, not yourself."
    )
    question: str = strawberry.field(description="What you would like feedback on, required. " + d.TEXT)
    goal_id: strawberry.ID | None = strawberry.field(
        default=None, description="A goal it is about, that you may see; null for none."
    )


@strawberry.input(description="A request you were asked and decline.")
class DeclineFeedbackRequestInput:
    request_id: strawberry.ID = strawberry.field(description="The request (`FeedbackRequest.id`).")
    reason: str = strawberry.field(default="", description="Why, shown to the requester. " + d.TEXT)


@strawberry.input(description="Feedback you received and acknowledge.")
class AcknowledgeFeedbackInput:
    feedback_id: strawberry.ID = strawberry.field(
        description="The feedback (`Feedback.id`); you must be its recipient."
    )


@strawberry.input(description="Kudos to give.")
class GiveKudosInput:
    recipient_ids: list[strawberry.ID] = strawberry.field(
        description="Who receives it: one or more distinct active people, not yourself."
    )
    value_id: strawberry.ID = strawberry.field(
        description="The company value it recognises: an active `CompanyValue.id`."
    )
    points: int = strawberry.field(
        description="Points for each recipient, from your allowance: a whole number from 1 to "
        "MOMENTUM_KUDOS_RECIPIENT_CAP "
        "(50), at most the cap per recipient and period."
    )
    message: str = strawberry.field(description="Why, shown to everyone (kudos are public). " + d.TEXT)


@strawberry.input(description="A company value to add.")
class DefineCompanyValueInput:
    value_id: strawberry.ID = strawberry.field(description="Its id, chosen by you (e.g. `customer-first`).")
    name: str = strawberry.field(description="Its name. " + d.TITLE)
    description: str = strawberry.field(default="", description="What it means. " + d.TEXT)


@strawberry.input(description="A company value to retire.")
class RetireCompanyValueInput:
    value_id: strawberry.ID = strawberry.field(description="The value's id (`CompanyValue.id`).")
