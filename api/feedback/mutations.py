"""Feedback, request, kudos and company-value mutations. Resolvers only translate; the application decides."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api import descriptions as d
from api.feedback.inputs import (
    AcknowledgeFeedbackInput,
    DeclineFeedbackRequestInput,
    DefineCompanyValueInput,
    GiveFeedbackInput,
    GiveKudosInput,
    RequestFeedbackInput,
    RetireCompanyValueInput,
)
from api.resolvers import ResolverInfo, Write, optional_text, run, run_new, run_on, written


@strawberry.type
class FeedbackMutation:
    @strawberry.mutation(description="Give feedback; the direction comes from the org chart, visibility is final.")
    async def give_feedback(self, info: ResolverInfo, input: Annotated[GiveFeedbackInput, d.INPUT]) -> Write:
        return await run_new(
            info,
            info.context.momentum.feedback.give_feedback,
            recipient_id=str(input.recipient_id),
            kind=input.kind.value,
            visibility=input.visibility.value,
            text=input.text,
            goal_id=optional_text(input.goal_id),
            request_id=optional_text(input.request_id),
        )

    @strawberry.mutation(description="Recipient: acknowledge feedback.")
    async def acknowledge_feedback(
        self, info: ResolverInfo, input: Annotated[AcknowledgeFeedbackInput, d.INPUT]
    ) -> Write:
        return await run_on(info, info.context.momentum.feedback.acknowledge_feedback, str(input.feedback_id))

    @strawberry.mutation(description="Ask one or more people for feedback, optionally about a goal.")
    async def request_feedback(self, info: ResolverInfo, input: Annotated[RequestFeedbackInput, d.INPUT]) -> Write:
        return await run_new(
            info,
            info.context.momentum.feedback.request_feedback,
            respondent_ids=[str(p) for p in input.respondent_ids],
            question=input.question,
            goal_id=optional_text(input.goal_id),
        )

    @strawberry.mutation(description="A person asked: decline the request.")
    async def decline_feedback_request(
        self, info: ResolverInfo, input: Annotated[DeclineFeedbackRequestInput, d.INPUT]
    ) -> Write:
        feedback = info.context.momentum.feedback
        return await run_on(info, feedback.decline_feedback_request, str(input.request_id), input.reason)

    @strawberry.mutation(description="Give kudos for a company value; `id` is the kudos id.")
    async def give_kudos(self, info: ResolverInfo, input: Annotated[GiveKudosInput, d.INPUT]) -> Write:
        stored, kudos_id = await run(
            info,
            info.context.momentum.recognition.give_kudos,
            recipient_ids=[str(p) for p in input.recipient_ids],
            value_id=str(input.value_id),
            points=input.points,
            message=input.message,
        )
        return written(stored, kudos_id)

    @strawberry.mutation(description="Admin: add a company value.")
    async def define_company_value(
        self, info: ResolverInfo, input: Annotated[DefineCompanyValueInput, d.INPUT]
    ) -> Write:
        stored = await run(
            info,
            info.context.momentum.recognition.define_value,
            value_id=str(input.value_id),
            name=input.name,
            description=input.description,
        )
        return written(stored, str(input.value_id))

    @strawberry.mutation(description="Admin: retire a company value; kudos can no longer name it.")
    async def retire_company_value(
        self, info: ResolverInfo, input: Annotated[RetireCompanyValueInput, d.INPUT]
    ) -> Write:
        return await run_on(info, info.context.momentum.recognition.retire_value, str(input.value_id))
