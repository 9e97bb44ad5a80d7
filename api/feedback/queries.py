"""Feedback, recognition and gamification over GraphQL: resolvers only translate."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry

from api import descriptions as d
from api.feedback.types import (
    Allowance,
    CompanyValue,
    Feedback,
    FeedbackConnection,
    FeedbackRequest,
    FeedbackRequestConnection,
    Kudos,
    KudosConnection,
    LeaderboardEntry,
    LeaderboardScope,
)
from api.gamification.types import rules
from api.resolvers import ResolverInfo, Window, optional_text, page_size, require_uuid, viewer
from domain.errors import ValidationError
from domain.periods import bounds, period_of
from projections.feedback import queries as feedback_reader
from projections.gamification.queries import counts_between
from projections.gamification.standing import leaderboard
from projections.goals import queries as goal_reader
from projections.sql import Row


async def visible_feedback(
    info: ResolverInfo, column: str, value: str, *, before: int | None, limit: int
) -> list[Row]:
    """The feedback whose `column` is `value` that the caller may see, newest first, older than `before`."""
    async with info.context.pool.connection() as conn:
        return await feedback_reader.feedback_where(
            conn, info.context.actor.id, column, value, before=before, limit=limit
        )


async def feedback_list(
    info: ResolverInfo, column: str, value: str, first: int, before: int | None
) -> list[Feedback]:
    rows = await visible_feedback(info, column, value, before=before, limit=page_size(first))
    return [Feedback.of(r) for r in rows]


async def feedback_connection(
    info: ResolverInfo, column: str, value: str, window: Window
) -> FeedbackConnection:
    rows = await visible_feedback(
        info, column, value, before=window.newest_first_before, limit=window.limit
    )
    connection: FeedbackConnection = window.connection(rows, "created_sequence", Feedback.of)
    return connection


async def visible_goal(info: ResolverInfo, goal_id: strawberry.ID) -> str | None:
    """The goal's id, if the caller may see the goal."""
    goal = require_uuid(goal_id, "goalId")
    async with info.context.pool.connection() as conn:
        return None if await goal_reader.goal(conn, viewer(info.context), goal) is None else goal


async def feedback_requests(
    info: ResolverInfo, sent: bool, before: int | None, limit: int
) -> list[Row]:
    async with info.context.pool.connection() as conn:
        return await feedback_reader.requests_of(conn, info.context.actor.id, not sent, limit, before=before)


async def kudos_rows(
    info: ResolverInfo, person_id: strawberry.ID | None, before: int | None, limit: int
) -> list[Row]:
    async with info.context.pool.connection() as conn:
        return await feedback_reader.kudos_page(conn, optional_text(person_id), before=before, limit=limit)


def replaced_by(field: str) -> str:
    return f"Use {field}: the same items as a Relay cursor connection. This field goes in the next release."


def own_feedback(column: str, cursor: str, description: str, connection_name: str) -> tuple[Any, Any]:
    """The two fields of the feedback whose `column` is the caller, newest first: a list (deprecated
    for `connection_name`) and that connection, a page at a time."""

    async def as_list(
        info: ResolverInfo, first: d.First = 20, before: d.BeforeSequence = None, consistency: d.Consistency = None
    ) -> list[Feedback]:
        return await feedback_list(info, column, info.context.actor.id, first, before)

    async def as_connection(
        info: ResolverInfo, first: d.First = 20, after: d.After = None, consistency: d.Consistency = None
    ) -> FeedbackConnection:
        return await feedback_connection(info, column, info.context.actor.id, Window.of(first, after, cursor))

    return (
        strawberry.field(
            resolver=as_list, description=f"{description}.", deprecation_reason=replaced_by(connection_name)
        ),
        strawberry.field(resolver=as_connection, description=f"{description}, a page at a time."),
    )


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
    feedback_inbox, feedback_inbox_connection = own_feedback(
        "recipient_id", INBOX, "Feedback given to you, newest first", "feedbackInboxConnection"
    )
    feedback_sent, feedback_sent_connection = own_feedback(
        "author_id", SENT, "Feedback you gave, newest first", "feedbackSentConnection"
    )

    @strawberry.field(
        description="Feedback about a goal you may see, that you may see; newest first. Empty for a goal you "
        "may not see.",
        deprecation_reason=replaced_by("feedbackAboutConnection"),
    )
    async def feedback_about(
        self,
        info: ResolverInfo,
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
        info: ResolverInfo,
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
        self, info: ResolverInfo, sent: Sent = False, first: d.First = 20, consistency: d.Consistency = None
    ) -> list[FeedbackRequest]:
        rows = await feedback_requests(info, sent, None, page_size(first))
        return [FeedbackRequest.of(r, info.context.actor.id) for r in rows]

    @strawberry.field(
        description="Requests that ask you (default) or, with sent: true, that you sent; newest first, a page "
        "at a time."
    )
    async def feedback_requests_connection(
        self,
        info: ResolverInfo,
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
        info: ResolverInfo,
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
        info: ResolverInfo,
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
    async def company_values(self, info: ResolverInfo) -> list[CompanyValue]:
        async with info.context.pool.connection() as conn:
            rows = await feedback_reader.company_values(conn)
        return [CompanyValue(**{k: r[k] for k in ("id", "name", "description", "active")}) for r in rows]

    @strawberry.field(description="Your kudos allowance for the current period.")
    async def my_allowance(self, info: ResolverInfo, consistency: d.Consistency = None) -> Allowance:
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
        info: ResolverInfo,
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
            counts = await counts_between(conn, start, end, optional_text(team_id))
        ranks = leaderboard(counts, rules(info.context), limit)
        return [LeaderboardEntry(rank=r.rank, person_id=strawberry.ID(r.person_id), points=r.points) for r in ranks]
