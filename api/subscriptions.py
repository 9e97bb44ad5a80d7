"""Subscriptions over graphql-transport-ws, driven by the projector's notices (api.changes).

Every delivered item is read again through the visibility-aware reader as the subscriber,
so an item the subscriber may not see (now) is never sent. `goalUpdated` re-reads one goal;
`myFeedback` and `kudosFeed` deliver what was stored after the subscription started, in
sequence order, each item once (`stored_since_subscribing`)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import aclosing
from typing import Annotated, Any

import strawberry
from psycopg import AsyncConnection
from strawberry.types import Info

from api import descriptions as d
from api.context import Context
from api.errors import Unavailable
from api.feedback.types import Feedback, FeedbackRequest, Kudos
from api.goals.cadence import CheckInReminder
from api.goals.types import Goal
from api.resolvers import require_uuid, viewer
from domain.errors import NotFoundError, ValidationError
from projections import positions
from projections.feedback import queries as feedback_reader
from projections.feedback.visibility import concerns, may_see_feedback
from projections.goals import queries as goal_reader
from projections.reminders import queries as reminder_reader
from projections.sql import Row

Interest = Callable[[frozenset[str] | None], bool]  # changed subjects (None: anything) → re-read?
Window = Callable[[AsyncConnection[Any], int, int], Awaitable[list[Row]]]  # rows stored in (after, upto]
CallerWindow = Callable[[AsyncConnection[Any], str, int, int], Awaitable[list[Row]]]  # the same, for a person id
Deliver = Callable[[Context, Row], Awaitable[Any]]  # the item sent for a stored row, or None
FeedbackNews = Annotated[
    Feedback | FeedbackRequest,
    strawberry.union("FeedbackNews", description="Feedback given to you, or a request for feedback that asks you."),
]


def caller_feed(window: CallerWindow, deliver: Deliver, item: Any, description: str) -> Any:
    """A subscription: the rows `window` finds stored for the caller after the sequence `after`
    (as `stored_since`), each sent as the item `deliver` makes of it (None: not sent)."""

    async def resolve(info: Info[Context, None], after: d.SequenceAfter = None) -> AsyncGenerator[Any, None]:
        me = info.context.actor.id

        def caller_window(conn: AsyncConnection[Any], after: int, upto: int) -> Awaitable[list[Row]]:
            return window(conn, me, after, upto)

        async with aclosing(stored_since(info.context, caller_window, after)) as rows:
            async for row in rows:
                sent = await deliver(info.context, row)
                if sent is not None:
                    yield sent

    resolve.__annotations__ = {
        "info": Info[Context, None], "after": d.SequenceAfter, "return": AsyncGenerator[item, None]
    }
    return strawberry.subscription(resolver=resolve, description=description)


async def _feedback_news(context: Context, row: Row) -> Feedback | FeedbackRequest | None:
    me = context.actor.id
    if not concerns(me, row):
        return None
    if row["item"] == "request":
        return FeedbackRequest.of(row, me)
    return Feedback.of(row) if may_see_feedback(me, row) else None


async def _due_reminder(context: Context, row: Row) -> CheckInReminder | None:
    goal = await _visible_goal(context, row["goal_id"])
    return CheckInReminder.of(row, goal) if goal is not None and row["person_id"] == context.actor.id else None


@strawberry.type(description=d.SUBSCRIPTION)
class Subscription:
    @strawberry.subscription(
        description="The goal as the caller may see it now, then again after each change to it "
        "(a new version) that the caller may see."
    )
    async def goal_updated(self, info: Info[Context, None], goal_id: d.GoalId) -> AsyncGenerator[Goal, None]:
        goal = require_uuid(goal_id, "goalId")
        delivered = 0
        async with aclosing(watch(info.context, lambda subjects: subjects is None or goal in subjects)) as steps:
            async for _ in steps:
                row = await _visible_goal(info.context, goal)
                if row is None and not delivered:
                    raise NotFoundError(f"goal {goal} not found", field="goalId")
                if row is None or row["version"] <= delivered:
                    continue  # hidden from this subscriber now, or not changed
                delivered = row["version"]
                yield Goal.of(row)

    my_feedback = caller_feed(
        feedback_reader.news_for,
        _feedback_news,
        FeedbackNews,
        "Feedback given to you and feedback requests asking you, stored after the sequence "
        "`after` (default: when you subscribe), oldest first.",
    )
    check_in_became_due = caller_feed(
        reminder_reader.reminders_for,
        _due_reminder,
        CheckInReminder,
        "Your check-ins that became due (CheckInBecameDue) stored after the sequence `after` "
        "(default: when you subscribe), oldest first; only goals you may see.",
    )

    @strawberry.subscription(
        description="Kudos (always public) given after the sequence `after` (default: when you "
        "subscribe), oldest first."
    )
    async def kudos_feed(self, info: Info[Context, None], after: d.SequenceAfter = None) -> AsyncGenerator[Kudos, None]:
        async with aclosing(stored_since(info.context, feedback_reader.kudos_after, after)) as rows:
            async for row in rows:
                yield Kudos.of(row)


async def watch(context: Context, interest: Interest) -> AsyncGenerator[None, None]:
    """Once now, then after every committed projector batch that `interest` accepts. The
    subscription is registered before the first read, so no change can fall in between.
    Each step checks that the websocket's token is still valid and drops the cached reads."""
    changes = context.services.changes
    if changes is None:
        raise Unavailable("subscriptions are not served by this process")
    context.require_unexpired_token()
    async with changes.subscribe(context.services.settings.kafka_topic) as subscriber:
        yield
        while True:
            if interest(await subscriber.changed()):
                context.require_unexpired_token()
                context.forget_cached_reads()
                yield


async def stored_since(context: Context, window: Window, after: int | None) -> AsyncGenerator[Row, None]:
    """The rows `window` finds stored after the sequence `after` (None: the sequence the read
    models have reached when the subscription starts), page by page, up to the sequence they
    reach after each batch. Every event up to a reached sequence is applied on every partition,
    so no row is skipped or delivered twice, however the partitions interleave."""
    if after is not None and after < 0:
        raise ValidationError("after must be a sequence (0 or more)", field="after")
    settings = context.services.settings
    async with aclosing(watch(context, lambda subjects: True)) as steps:
        async for _ in steps:
            async with context.pool.connection() as conn:
                upto = await positions.reached_sequence(conn, settings.kafka_topic, settings.kafka_partitions)
            after = upto if after is None else after
            while after < upto:
                async with context.pool.connection() as conn:
                    page = await window(conn, after, upto)
                if not page:
                    break
                for row in page:
                    yield row
                after = page[-1]["sequence"]
            after = max(after, upto)


async def _visible_goal(context: Context, goal_id: str) -> dict[str, Any] | None:
    async with context.pool.connection() as conn:
        return await goal_reader.goal(conn, viewer(context), goal_id)
