"""Feedback, recognition and gamification over GraphQL: resolvers only translate."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from api import descriptions as d
from api.context import Context
from api.feedback_types import (
    Allowance,
    CompanyValue,
    Feedback,
    FeedbackConnection,
    FeedbackKind,
    FeedbackRequest,
    FeedbackRequestConnection,
    FeedbackVisibility,
    Kudos,
    KudosConnection,
    LeaderboardEntry,
    LeaderboardScope,
)
from api.mutations import _opt, _run, _write
from api.queries import Window, page_size, require_uuid, viewer
from api.standing import rules
from api.types import Write
from domain.errors import ValidationError
from domain.periods import bounds, period_of
from projections import feedback_reader, reader
from projections.gamification.standing import leaderboard
from projections.gamification.store import counts_between
from projections.reader import Row

FeedbackInfo = Info[Context, None]



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


@strawberry.type
class FeedbackMutation:
    @strawberry.mutation(description="Give feedback; the direction comes from the org chart, visibility is final.")
    async def give_feedback(self, info: FeedbackInfo, input: Annotated[GiveFeedbackInput, d.INPUT]) -> Write:
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
    async def acknowledge_feedback(
        self, info: FeedbackInfo, input: Annotated[AcknowledgeFeedbackInput, d.INPUT]
    ) -> Write:
        stored = await _run(info, info.context.momentum.acknowledge_feedback, str(input.feedback_id))
        return _write(stored, str(input.feedback_id))

    @strawberry.mutation(description="Ask one or more people for feedback, optionally about a goal.")
    async def request_feedback(self, info: FeedbackInfo, input: Annotated[RequestFeedbackInput, d.INPUT]) -> Write:
        stored = await _run(
            info,
            info.context.momentum.request_feedback,
            respondent_ids=[str(p) for p in input.respondent_ids],
            question=input.question,
            goal_id=_opt(input.goal_id),
        )
        return _write(stored, str(stored.aggregate_id))

    @strawberry.mutation(description="A person asked: decline the request.")
    async def decline_feedback_request(
        self, info: FeedbackInfo, input: Annotated[DeclineFeedbackRequestInput, d.INPUT]
    ) -> Write:
        stored = await _run(
            info, info.context.momentum.decline_feedback_request, str(input.request_id), input.reason
        )
        return _write(stored, str(input.request_id))

    @strawberry.mutation(description="Give kudos for a company value; `id` is the kudos id.")
    async def give_kudos(self, info: FeedbackInfo, input: Annotated[GiveKudosInput, d.INPUT]) -> Write:
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
    async def define_company_value(
        self, info: FeedbackInfo, input: Annotated[DefineCompanyValueInput, d.INPUT]
    ) -> Write:
        stored = await _run(
            info,
            info.context.momentum.define_value,
            value_id=str(input.value_id),
            name=input.name,
            description=input.description,
        )
        return _write(stored, str(input.value_id))

    @strawberry.mutation(description="Admin: retire a company value; kudos can no longer name it.")
    async def retire_company_value(
        self, info: FeedbackInfo, input: Annotated[RetireCompanyValueInput, d.INPUT]
    ) -> Write:
        stored = await _run(info, info.context.momentum.retire_value, str(input.value_id))
        return _write(stored, str(input.value_id))


async def visible_feedback(
    info: FeedbackInfo, column: str, value: str, *, before: int | None, limit: int
) -> list[Row]:
    """The feedback whose `column` is `value` that the caller may see, newest first, older than `before`."""
    async with info.context.pool.connection() as conn:
        return await feedback_reader.feedback_where(
            conn, info.context.actor.id, column, value, before=before, limit=limit
        )


async def feedback_list(
    info: FeedbackInfo, column: str, value: str, first: int, before: int | None
) -> list[Feedback]:
    rows = await visible_feedback(info, column, value, before=before, limit=page_size(first))
    return [Feedback.of(r) for r in rows]


async def feedback_connection(
    info: FeedbackInfo, column: str, value: str, window: Window
) -> FeedbackConnection:
    rows = await visible_feedback(
        info, column, value, before=window.newest_first_before, limit=window.limit
    )
    connection: FeedbackConnection = window.connection(rows, "created_sequence", Feedback.of)
    return connection


async def visible_goal(info: FeedbackInfo, goal_id: strawberry.ID) -> str | None:
    """The goal's id, if the caller may see the goal."""
    goal = require_uuid(goal_id, "goalId")
    async with info.context.pool.connection() as conn:
        return None if await reader.goal(conn, viewer(info.context), goal) is None else goal


async def feedback_requests(
    info: FeedbackInfo, sent: bool, before: int | None, limit: int
) -> list[Row]:
    async with info.context.pool.connection() as conn:
        return await feedback_reader.requests_of(conn, info.context.actor.id, not sent, limit, before=before)


async def kudos_rows(
    info: FeedbackInfo, person_id: strawberry.ID | None, before: int | None, limit: int
) -> list[Row]:
    async with info.context.pool.connection() as conn:
        return await feedback_reader.kudos_page(conn, _opt(person_id), before=before, limit=limit)


def replaced_by(field: str) -> str:
    return f"Use {field}: the same items as a Relay cursor connection. This field goes in the next release."


Sent = Annotated[
    bool,
    strawberry.argument(
        description="False (the default): the requests that ask you, each with only your own entry. True: the "
        "requests you sent, with every respondent's status."
    ),
]
KudosOf = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="Only the kudos this person gave or received; null for everyone's."),
]
INBOX, SENT, ABOUT, REQUESTS, KUDOS = "feedbackInbox:", "feedbackSent:", "feedbackAbout:", "feedbackRequests:", "kudos:"


@strawberry.type
class FeedbackQuery:
    @strawberry.field(
        description="Feedback given to you, newest first.", deprecation_reason=replaced_by("feedbackInboxConnection")
    )
    async def feedback_inbox(
        self,
        info: FeedbackInfo,
        first: d.First = 20,
        before: d.BeforeSequence = None,
        consistency: d.Consistency = None,
    ) -> list[Feedback]:
        return await feedback_list(info, "recipient_id", info.context.actor.id, first, before)

    @strawberry.field(description="Feedback given to you, newest first, a page at a time.")
    async def feedback_inbox_connection(
        self, info: FeedbackInfo, first: d.First = 20, after: d.After = None, consistency: d.Consistency = None
    ) -> FeedbackConnection:
        window = Window.of(first, after, INBOX)
        return await feedback_connection(info, "recipient_id", info.context.actor.id, window)

    @strawberry.field(
        description="Feedback you gave, newest first.", deprecation_reason=replaced_by("feedbackSentConnection")
    )
    async def feedback_sent(
        self,
        info: FeedbackInfo,
        first: d.First = 20,
        before: d.BeforeSequence = None,
        consistency: d.Consistency = None,
    ) -> list[Feedback]:
        return await feedback_list(info, "author_id", info.context.actor.id, first, before)

    @strawberry.field(description="Feedback you gave, newest first, a page at a time.")
    async def feedback_sent_connection(
        self, info: FeedbackInfo, first: d.First = 20, after: d.After = None, consistency: d.Consistency = None
    ) -> FeedbackConnection:
        window = Window.of(first, after, SENT)
        return await feedback_connection(info, "author_id", info.context.actor.id, window)

    @strawberry.field(
        description="Feedback about a goal you may see, that you may see; newest first. Empty for a goal you "
        "may not see.",
        deprecation_reason=replaced_by("feedbackAboutConnection"),
    )
    async def feedback_about(
        self,
        info: FeedbackInfo,
        goal_id: d.GoalId,
        first: d.First = 20,
        before: d.BeforeSequence = None,
        consistency: d.Consistency = None,
    ) -> list[Feedback]:
        goal = await visible_goal(info, goal_id)
        return [] if goal is None else await feedback_list(info, "goal_id", goal, first, before)

    @strawberry.field(
        description="Feedback about a goal you may see, that you may see; newest first, a page at a time. "
        "Empty for a goal you may not see."
    )
    async def feedback_about_connection(
        self,
        info: FeedbackInfo,
        goal_id: d.GoalId,
        first: d.First = 20,
        after: d.After = None,
        consistency: d.Consistency = None,
    ) -> FeedbackConnection:
        window = Window.of(first, after, ABOUT)
        goal = await visible_goal(info, goal_id)
        if goal is None:
            empty: FeedbackConnection = window.connection([], "created_sequence", Feedback.of)
            return empty
        return await feedback_connection(info, "goal_id", goal, window)

    @strawberry.field(
        description="Requests that ask you (default) or, with sent: true, that you sent; newest first.",
        deprecation_reason=replaced_by("feedbackRequestsConnection"),
    )
    async def feedback_requests(
        self, info: FeedbackInfo, sent: Sent = False, first: d.First = 20, consistency: d.Consistency = None
    ) -> list[FeedbackRequest]:
        rows = await feedback_requests(info, sent, None, page_size(first))
        return [FeedbackRequest.of(r, info.context.actor.id) for r in rows]

    @strawberry.field(
        description="Requests that ask you (default) or, with sent: true, that you sent; newest first, a page "
        "at a time."
    )
    async def feedback_requests_connection(
        self,
        info: FeedbackInfo,
        sent: Sent = False,
        first: d.First = 20,
        after: d.After = None,
        consistency: d.Consistency = None,
    ) -> FeedbackRequestConnection:
        window, me = Window.of(first, after, REQUESTS), info.context.actor.id
        rows = await feedback_requests(info, sent, window.newest_first_before, window.limit)
        connection: FeedbackRequestConnection = window.connection(
            rows, "created_sequence", lambda r: FeedbackRequest.of(r, me)
        )
        return connection

    @strawberry.field(
        description="Kudos (public), newest first; with personId, those they gave or received.",
        deprecation_reason=replaced_by("kudosConnection"),
    )
    async def kudos(
        self,
        info: FeedbackInfo,
        person_id: KudosOf = None,
        first: d.First = 20,
        before: d.BeforeSequence = None,
        consistency: d.Consistency = None,
    ) -> list[Kudos]:
        return [Kudos.of(r) for r in await kudos_rows(info, person_id, before, page_size(first))]

    @strawberry.field(
        description="Kudos (public), newest first, a page at a time; with personId, those they gave or received."
    )
    async def kudos_connection(
        self,
        info: FeedbackInfo,
        person_id: KudosOf = None,
        first: d.First = 20,
        after: d.After = None,
        consistency: d.Consistency = None,
    ) -> KudosConnection:
        window = Window.of(first, after, KUDOS)
        rows = await kudos_rows(info, person_id, window.newest_first_before, window.limit)
        connection: KudosConnection = window.connection(rows, "sequence", Kudos.of)
        return connection

    @strawberry.field(description="Every company value, active and retired, by name.")
    async def company_values(self, info: FeedbackInfo) -> list[CompanyValue]:
        async with info.context.pool.connection() as conn:
            rows = await feedback_reader.company_values(conn)
        return [CompanyValue(**{k: r[k] for k in ("id", "name", "description", "active")}) for r in rows]

    @strawberry.field(description="Your kudos allowance for the current period.")
    async def my_allowance(self, info: FeedbackInfo, consistency: d.Consistency = None) -> Allowance:
        settings = info.context.services.settings
        period = period_of(datetime.now(UTC), settings.kudos_period)
        async with info.context.pool.connection() as conn:
            row = await feedback_reader.allowance(conn, info.context.actor.id, period)
        total = settings.kudos_allowance if row is None else row["allowance"]
        spent = 0 if row is None else row["spent"]
        return Allowance(period=period, allowance=total, spent=spent, remaining=total - spent)

    @strawberry.field(
        description="Points ranking of the organisation or a team in a period (default: this month): the top "
        "`first` places, computed when read (a ranking, not a list that pages)."
    )
    async def leaderboard(
        self,
        info: FeedbackInfo,
        scope: Annotated[LeaderboardScope, strawberry.argument(
            description="Whom to rank."
        )] = LeaderboardScope.ORGANISATION,
        team_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The team to rank: given exactly when scope is TEAM.")
        ] = None,
        period: Annotated[
            str | None, strawberry.argument(description=d.PERIOD + " Null: the current calendar month (UTC).")
        ] = None,
        first: d.First = 10,
        consistency: d.Consistency = None,
    ) -> list[LeaderboardEntry]:
        limit = page_size(first)
        if (scope == LeaderboardScope.TEAM) != (team_id is not None):
            raise ValidationError("teamId is given exactly when the scope is TEAM", field="teamId")
        start, end = bounds(period or period_of(datetime.now(UTC), "month"))
        async with info.context.pool.connection() as conn:
            counts = await counts_between(conn, start, end, _opt(team_id))
        ranks = leaderboard(counts, rules(info.context), limit)
        return [LeaderboardEntry(rank=r.rank, person_id=strawberry.ID(r.person_id), points=r.points) for r in ranks]
