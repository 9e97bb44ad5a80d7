"""A goal that changes owner: each key result is rewarded once, to whoever owned the goal when it
was first achieved, live and after a rebuild, and the awarder records each badge and level once."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from application.identity import Actor
from application.momentum import Momentum
from consumers.awarder import Awarder
from domain.achievements import Achievements
from projections.gamification.queries import facts_of_people
from projections.gamification.rules import Rules
from projections.gamification.standing import standing
from settings import Settings
from tests.integration.readside import envelopes, project
from tests.stack import fresh_database

ADMIN = Actor("root", frozenset({"admin"}))
ADA, BOB = Actor("ada"), Actor("bob")


@pytest.fixture
def elsewhere() -> Iterator[Settings]:
    with fresh_database() as other:
        yield other


def goal_with_a_key_result(app: Momentum, title: str) -> tuple[str, str]:
    goal = app.goals.create_goal(ADA, title=title)
    _, key_result = app.goals.add_key_result(ADA, str(goal.aggregate_id), title="ship", kind="milestone", target=1)
    return str(goal.aggregate_id), key_result


def give_to_bob(app: Momentum, goal_id: str) -> None:
    app.goals.change_goal_owner(ADMIN, goal_id, owner_id="bob", reason="ada moved team")


def project_live(app: Momentum, settings: Settings) -> None:
    """Event by event, as a live projector applies them, running the awarder after each batch."""
    done = 0
    while len(events := envelopes(app, settings)) > done:
        project(settings, events[done:], batch=1)
        done = len(events)
        with psycopg.connect(settings.database_url, autocommit=True) as conn:
            Awarder(app, lambda: conn, Rules(), settings).award(conn)


def rewards(settings: Settings) -> dict[str, Any]:
    async def facts() -> Any:
        async with await psycopg.AsyncConnection.connect(settings.database_url) as conn:
            return await facts_of_people(conn, ["ada", "bob"])

    found = asyncio.run(facts())
    achieved = sorted((f.event_id, f.person_id) for p in found.values() for f in p if f.kind == "key_result_achieved")
    points = {p: standing(found.get(p, []), Rules(), found[p][-1].at).points for p in ("ada", "bob")}
    return {"achieved": achieved, "points": points}


def awards_stored(app: Momentum, person: str) -> Counter[tuple[str, Any]]:
    events = app.repository.event_store.get(Achievements.create_id(person))
    return Counter((type(e).__name__, getattr(e, "badge", getattr(e, "level", None))) for e in events)


def test_a_key_result_is_rewarded_once_to_its_owner_when_achieved_whoever_owns_the_goal_later(
    momentum: Momentum, settings: Settings, elsewhere: Settings
) -> None:
    for person in ("ada", "bob"):
        momentum.directory.register_person(ADMIN, person_id=person, name=person.title(), email=f"{person}@example.com")
    before, before_kr = goal_with_a_key_result(momentum, "achieved before the change")
    after, after_kr = goal_with_a_key_result(momentum, "achieved after the change")
    momentum.goals.check_in_key_result(ADA, before, before_kr, value=1)
    project_live(momentum, settings)
    give_to_bob(momentum, before)
    give_to_bob(momentum, after)
    project_live(momentum, settings)
    created = [e for e in envelopes(momentum, settings) if e["subject"] == after and e["aggregateversion"] == 1]
    project(settings, created)  # redelivered: an event older than the owner change does not undo it
    momentum.goals.check_in_key_result(BOB, before, before_kr, value=0)  # bob undoes it and achieves it again
    momentum.goals.check_in_key_result(BOB, before, before_kr, value=1)
    momentum.goals.check_in_key_result(BOB, after, after_kr, value=1)
    project_live(momentum, settings)

    live = rewards(settings)
    assert live["achieved"] == sorted([(f"{before}/kr/{before_kr}", "ada"), (f"{after}/kr/{after_kr}", "bob")])
    rules = Rules()
    check_in_day = rules.check_in_day  # everything happens today: one day of check-ins each
    assert live["points"] == {"ada": check_in_day + rules.key_result_achieved,
                              "bob": check_in_day + rules.key_result_achieved}
    for person in ("ada", "bob"):
        stored = awards_stored(momentum, person)
        assert stored[("BadgeAwarded", "key-result-achieved")] == 1, (person, stored)
        assert all(n == 1 for n in stored.values()), (person, stored)

    project(elsewhere, envelopes(momentum, settings), batch=10_000)  # a rebuild, in one batch
    assert rewards(elsewhere) == live
    stored_before = momentum.recorder.max_notification_id()
    with psycopg.connect(elsewhere.database_url, autocommit=True) as conn:
        Awarder(momentum, lambda: conn, rules, elsewhere).award(conn)
    assert momentum.recorder.max_notification_id() == stored_before  # the rebuilt facts grant nothing new
