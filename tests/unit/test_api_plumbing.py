"""Pure parts of the API plumbing: the projector's notice, subscriber coalescing, the token bucket."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any, cast

import pytest

from api.changes import Subscriber
from api.context import Context, Services
from api.limits import RateLimited, RateLimiter
from projections import notices
from settings import Settings


def test_a_notice_names_the_changed_subjects_and_the_highest_sequence() -> None:
    events = [{"subject": "b", "sequence": 7}, {"subject": "a", "sequence": 9}, {"subject": "a", "sequence": 8}]
    notice = notices.parse(notices.payload("momentum.events", events))
    assert notice == notices.Notice("momentum.events", 9, frozenset({"a", "b"}))
    assert notice.touches("a") and not notice.touches("c")


def test_a_notice_too_large_for_postgres_says_anything_may_have_changed() -> None:
    events = [{"subject": f"{i:036d}", "sequence": i} for i in range(500)]
    text = notices.payload("t", events)
    assert len(text.encode()) < 8000 and json.loads(text)["subjects"] is None
    assert notices.parse(text).touches("anything")


def test_a_bare_topic_payload_from_an_older_projector_touches_everything() -> None:
    assert notices.parse("momentum.events") == notices.Notice("momentum.events", 0, None)


def test_a_subscriber_coalesces_notices_of_its_topic_until_it_asks() -> None:
    async def scenario() -> list[frozenset[str] | None]:
        subscriber = Subscriber("t")
        subscriber.offer(notices.Notice("t", 1, frozenset({"a"})))
        subscriber.offer(notices.Notice("other", 2, frozenset({"x"})))
        subscriber.offer(notices.Notice("t", 3, frozenset({"b"})))
        first = await subscriber.changed()
        subscriber.offer(notices.Notice("t", 4, None))
        subscriber.offer(notices.Notice("t", 5, frozenset({"c"})))
        return [first, await subscriber.changed()]

    assert asyncio.run(scenario()) == [frozenset({"a", "b"}), None]


def test_the_token_bucket_allows_a_burst_then_the_rate_per_subject() -> None:
    limiter = RateLimiter(rate=2, burst=3)
    for _ in range(3):
        limiter.take("ada", now=0.0)
    with pytest.raises(RateLimited) as refused:
        limiter.take("ada", now=0.0)
    assert refused.value.retry_after == pytest.approx(0.5)
    limiter.take("bob", now=0.0)
    limiter.take("ada", now=0.5)


def test_a_notice_says_when_it_was_sent_and_the_time_of_its_newest_event() -> None:
    events = [{"subject": "a", "sequence": 2, "time": "2027-03-01T10:00:00.5Z"},
              {"subject": "a", "sequence": 1, "time": "2027-01-01T00:00:00Z"}]
    notice = notices.parse(notices.payload("t", events))
    assert notice.event_at == 1803895200.5 and notice.sent_at is not None
    unreadable = notices.parse('{"topic": "t", "sequence": 1, "subjects": [], "sent_at": "soon", "event_at": NaN}')
    assert (unreadable.sent_at, unreadable.event_at) == (None, None)


def test_an_operation_reads_the_clock_once_until_its_cached_reads_are_forgotten() -> None:
    moments = iter([datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)])

    class Ticking(Settings):
        def now(self) -> datetime:
            return next(moments)

    context = Context(Services(settings=Ticking(), momentum=cast(Any, None), pool=cast(Any, None)), None, None)
    first = context.now()
    assert context.now() == first == datetime(2026, 1, 1, tzinfo=UTC)
    context.forget_cached_reads()
    assert context.now() == datetime(2026, 1, 2, tzinfo=UTC)
