"""A seeded month of activity (March 2027) in two teams of six, every event at an explicit
time: the event store's clock is set before each command."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import eventsourcing.domain
import pytest

from application.identity import Actor
from application.momentum import Momentum
from domain.recognition import KudosPolicy
from tests.integration.org import ADMIN

TEAMS = {
    "core": ["zoe", "maya", "ada", "bob", "cid", "dan"],
    "ops": ["olga", "pat", "quinn", "rae", "sam", "tom"],
}
MANAGERS = {"maya": "zoe", "olga": "zoe", "ada": "maya", "bob": "maya", "cid": "maya", "dan": "maya",
            "pat": "olga", "quinn": "olga", "rae": "olga", "sam": "olga", "tom": "olga"}


class Clock:
    now = datetime(2027, 2, 20, 9, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[Clock]]:
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", lambda: Clock.now)
    yield Clock


def on(month: int, day: int, hour: int = 10) -> None:
    Clock.now = datetime(2027, month, day, hour, tzinfo=UTC)


def seed(app: Momentum) -> dict[str, Any]:
    app.recognition.kudos_policy = KudosPolicy(allowance=100, period="month", recipient_cap=50)
    on(2, 20)
    for team in TEAMS:
        app.directory.register_team(ADMIN, team_id=team, name=team.title())
    for person in ["zoe", "maya", "olga"] + [p for p in MANAGERS if p not in ("maya", "olga")]:
        team = next(t for t, people in TEAMS.items() if person in people)
        app.directory.register_person(ADMIN, person_id=person, name=person.title(), email=f"{person}@example.com",
                            manager_id=MANAGERS.get(person), team_id=team)
    app.recognition.define_value(ADMIN, value_id="ownership", name="Ownership")
    cycle = str(app.cycles.create_cycle(
        ADMIN, name="2027-Q1", starts_on="2027-01-01", ends_on="2027-03-31"
    ).aggregate_id)
    ada, bob, pat, maya = Actor("ada"), Actor("bob"), Actor("pat"), Actor("maya")

    on(3, 1, 9)
    goal = str(app.goals.create_goal(ada, title="Ship the app", cycle_id=cycle).aggregate_id)
    _, kr = app.goals.add_key_result(ada, goal, title="Screens", kind="increase_to", start=0, target=10)
    app.goals.approve_goal(maya, goal)
    bob_goal = str(app.goals.create_goal(bob, title="Learn", cycle_id=cycle).aggregate_id)
    pat_goal = str(app.goals.create_goal(pat, title="Run ops", cycle_id=cycle).aggregate_id)
    for day, value in ((1, 2), (8, 4), (15, 7), (22, 10)):
        on(3, day, 11)
        app.goals.check_in_key_result(ada, goal, kr, value=value)
    on(3, 8, 16)
    app.goals.check_in_key_result(ada, goal, kr, value=5)  # a second check-in that day adds no points
    on(3, 23)
    app.goals.complete_goal(ada, goal)
    for day in (1, 15):
        on(3, day)
        app.goals.record_check_in(bob, bob_goal, progress=day * 2)
    for day in (2, 9, 16):
        on(3, day)
        app.goals.record_check_in(pat, pat_goal, progress=day * 3)

    for n in range(10):
        on(3, 5, 8 + n)
        app.recognition.give_kudos(Actor("tom"), recipient_ids=["pat"], value_id="ownership", points=5, message=f"#{n}")
    on(3, 6)
    app.recognition.give_kudos(Actor("zoe"), recipient_ids=["ada"], value_id="ownership", points=30, message="great")
    app.recognition.give_kudos(maya, recipient_ids=["bob", "cid"], value_id="ownership", points=10, message="nice")

    for day, author, recipient in ((3, "ada", "maya"), (3, "maya", "ada"), (4, "rae", "sam"), (4, "rae", "sam"),
                                   (10, "quinn", "olga")):
        on(3, day)
        app.feedback.give_feedback(
            Actor(author), recipient_id=recipient, kind="praise", visibility="public", text="thanks"
        )

    on(4, 2)
    app.goals.record_check_in(bob, bob_goal, progress=40)
    return {"goal": goal, "cycle": cycle}
