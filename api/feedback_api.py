"""Feedback, recognition and gamification over GraphQL: resolvers only translate."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from strawberry.types import Info

from api.context import Context
from api.feedback_types import (
    Allowance,
    CompanyValue,
    Feedback,
    FeedbackKind,
    FeedbackRequest,
    FeedbackVisibility,
    Kudos,
    LeaderboardEntry,
    LeaderboardScope,
)
from api.mutations import _opt, _run, _write
from api.queries import page_size, require_uuid, viewer
from api.standing import rules
from api.types import Write
from domain.errors import ValidationError
from domain.periods import bounds, period_of
from projections import feedback_reader, reader
from projections.gamification.standing import leaderboard
from projections.gamification.store import counts_between

FeedbackInfo = Info[Context, None]


@strawberry.input
class GiveFeedbackInput:
    recipient_id: strawberry.ID
    kind: FeedbackKind
    visibility: FeedbackVisibility
    text: str
    goal_id: strawberry.ID | None = None
    request_id: strawberry.ID | None = strawberry.field(default=None, description="Answer this request.")


@strawberry.input
class RequestFeedbackInput:
    respondent_ids: list[strawberry.ID]
    question: str
    goal_id: strawberry.ID | None = None


@strawberry.input
class DeclineFeedbackRequestInput:
    request_id: strawberry.ID
    reason: str = ""


@strawberry.input
class AcknowledgeFeedbackInput:
    feedback_id: strawberry.ID


@strawberry.input
class GiveKudosInput:
    recipient_ids: list[strawberry.ID]
    value_id: strawberry.ID
    points: int = strawberry.field(description="Points for each recipient, from your allowance.")
    message: str


@strawberry.input
class DefineCompanyValueInput:
    value_id: strawberry.ID
    name: str
    description: str = ""


@strawberry.input
class RetireCompanyValueInput:
    value_id: strawberry.ID


@strawberry.type
class FeedbackMutation:
    @strawberry.mutation(description="Give feedback; the direction comes from the org chart, visibility is final.")
    async def give_feedback(self, info: FeedbackInfo, input: GiveFeedbackInput) -> Write:
        stored = await _run(
            info,
            info.context.momentum.give_feedback,
            recipient_id=str(input.recipient_id),
            kind=input.kind.value,
            visibility=input.visibility.value,
            text=input.text,
            goal_id=_opt(input.goal_id),
            request_id=_opt(input.request_id),
        )
        return _write(stored, str(stored.aggregate_id))

    @strawberry.mutation(description="Recipient: acknowledge feedback.")
    async def acknowledge_feedback(self, info: FeedbackInfo, input: AcknowledgeFeedbackInput) -> Write:
        stored = await _run(info, info.context.momentum.acknowledge_feedback, str(input.feedback_id))
        return _write(stored, str(input.feedback_id))

    @strawberry.mutation(description="Ask one or more people for feedback, optionally about a goal.")
    async def request_feedback(self, info: FeedbackInfo, input: RequestFeedbackInput) -> Write:
        stored = await _run(
            info,
            info.context.momentum.request_feedback,
            respondent_ids=[str(p) for p in input.respondent_ids],
            question=input.question,
            goal_id=_opt(input.goal_id),
        )
        return _write(stored, str(stored.aggregate_id))

    @strawberry.mutation(description="A person asked: decline the request.")
    async def decline_feedback_request(self, info: FeedbackInfo, input: DeclineFeedbackRequestInput) -> Write:
        stored = await _run(
            info, info.context.momentum.decline_feedback_request, str(input.request_id), input.reason
        )
        return _write(stored, str(input.request_id))

    @strawberry.mutation(description="Give kudos for a company value; `id` is the kudos id.")
    async def give_kudos(self, info: FeedbackInfo, input: GiveKudosInput) -> Write:
        stored, kudos_id = await _run(
            info,
            info.context.momentum.give_kudos,
            recipient_ids=[str(p) for p in input.recipient_ids],
            value_id=str(input.value_id),
            points=input.points,
            message=input.message,
        )
        return _write(stored, kudos_id)

    @strawberry.mutation(description="Admin: add a company value.")
    async def define_company_value(self, info: FeedbackInfo, input: DefineCompanyValueInput) -> Write:
        stored = await _run(
            info,
            info.context.momentum.define_value,
            value_id=str(input.value_id),
            name=input.name,
            description=input.description,
        )
        return _write(stored, str(input.value_id))

    @strawberry.mutation(description="Admin: retire a company value; kudos can no longer name it.")
    async def retire_company_value(self, info: FeedbackInfo, input: RetireCompanyValueInput) -> Write:
        stored = await _run(info, info.context.momentum.retire_value, str(input.value_id))
        return _write(stored, str(input.value_id))


async def _feedback(
    info: FeedbackInfo, column: str, value: str, first: int, before: int | None, consistency: int | None
) -> list[Feedback]:
    limit = page_size(first)
    async with info.context.pool.connection() as conn:
        rows = await feedback_reader.feedback_where(
            conn, info.context.actor.id, column, value, before=before, limit=limit
        )
    return [Feedback.of(r) for r in rows]


@strawberry.type
class FeedbackQuery:
    @strawberry.field(description="Feedback given to you, newest first; `before` is a sequence.")
    async def feedback_inbox(
        self, info: FeedbackInfo, first: int = 20, before: int | None = None, consistency: int | None = None
    ) -> list[Feedback]:
        return await _feedback(info, "recipient_id", info.context.actor.id, first, before, consistency)

    @strawberry.field(description="Feedback you gave, newest first.")
    async def feedback_sent(
        self, info: FeedbackInfo, first: int = 20, before: int | None = None, consistency: int | None = None
    ) -> list[Feedback]:
        return await _feedback(info, "author_id", info.context.actor.id, first, before, consistency)

    @strawberry.field(description="Feedback about a goal you may see, that you may see; newest first.")
    async def feedback_about(
        self,
        info: FeedbackInfo,
        goal_id: strawberry.ID,
        first: int = 20,
        before: int | None = None,
        consistency: int | None = None,
    ) -> list[Feedback]:
        goal = require_uuid(goal_id, "goalId")
        async with info.context.pool.connection() as conn:
            if await reader.goal(conn, viewer(info.context), goal) is None:
                return []
        return await _feedback(info, "goal_id", goal, first, before, None)

    @strawberry.field(description="Requests that ask you (default) or, with sent: true, that you sent.")
    async def feedback_requests(
        self, info: FeedbackInfo, sent: bool = False, first: int = 20, consistency: int | None = None
    ) -> list[FeedbackRequest]:
        limit = page_size(first)
        me = info.context.actor.id
        async with info.context.pool.connection() as conn:
            rows = await feedback_reader.requests_of(conn, me, not sent, limit)
        return [FeedbackRequest.of(r, me) for r in rows]

    @strawberry.field(description="Kudos, newest first; with personId, those they gave or received.")
    async def kudos(
        self,
        info: FeedbackInfo,
        person_id: strawberry.ID | None = None,
        first: int = 20,
        before: int | None = None,
        consistency: int | None = None,
    ) -> list[Kudos]:
        limit = page_size(first)
        async with info.context.pool.connection() as conn:
            rows = await feedback_reader.kudos_page(conn, _opt(person_id), before=before, limit=limit)
        return [Kudos.of(r) for r in rows]

    @strawberry.field
    async def company_values(self, info: FeedbackInfo) -> list[CompanyValue]:
        async with info.context.pool.connection() as conn:
            rows = await feedback_reader.company_values(conn)
        return [CompanyValue(**{k: r[k] for k in ("id", "name", "description", "active")}) for r in rows]

    @strawberry.field(description="Your kudos allowance for the current period.")
    async def my_allowance(self, info: FeedbackInfo, consistency: int | None = None) -> Allowance:
        settings = info.context.services.settings
        period = period_of(datetime.now(UTC), settings.kudos_period)
        async with info.context.pool.connection() as conn:
            row = await feedback_reader.allowance(conn, info.context.actor.id, period)
        total = settings.kudos_allowance if row is None else row["allowance"]
        spent = 0 if row is None else row["spent"]
        return Allowance(period=period, allowance=total, spent=spent, remaining=total - spent)

    @strawberry.field(description="Points ranking of the organisation or a team in a period (default: this month).")
    async def leaderboard(
        self,
        info: FeedbackInfo,
        scope: LeaderboardScope = LeaderboardScope.ORGANISATION,
        team_id: strawberry.ID | None = None,
        period: str | None = None,
        first: int = 10,
        consistency: int | None = None,
    ) -> list[LeaderboardEntry]:
        limit = page_size(first)
        if (scope == LeaderboardScope.TEAM) != (team_id is not None):
            raise ValidationError("teamId is given exactly when the scope is TEAM", field="teamId")
        start, end = bounds(period or period_of(datetime.now(UTC), "month"))
        async with info.context.pool.connection() as conn:
            counts = await counts_between(conn, start, end, _opt(team_id))
        ranks = leaderboard(counts, rules(info.context), limit)
        return [LeaderboardEntry(rank=r.rank, person_id=strawberry.ID(r.person_id), points=r.points) for r in ranks]
