"""Check-in cadence on the real stack: `checkInsDue` over seeded weeks (hand-computed, see
cadence_scenario), who may ask, and the reminder scheduler (`momentum reminders`): one
`CheckInBecameDue` per goal and due moment, through restarts, delivered by subscription only to
the person who checks in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bootstrap import build_momentum
from settings import Settings
from tests.e2e.cadence_scenario import LATER, NOW, Seeded, seed
from tests.e2e.cadence_scenario import clock as clock  # the fixture
from tests.e2e.client import GraphQL, build_feedback_org, error_codes, mutate
from tests.e2e.test_api_subscriptions import connected, item
from tests.e2e.ws import Subscriptions
from tests.stack import Process, fresh_database, scalar, topic_records, wait_until

DUE = """query($p: ID!, $c: Int) { checkInsDue(personId: $p, consistency: $c) {
  goal { id title checkInCadence } cadence dueAt overdue } }"""
BECAME_DUE = "subscription { checkInBecameDue { goal { id title } cadence dueAt sequence } }"
REMINDERS = "SELECT count(*) FROM momentum_events WHERE topic LIKE '%CheckInBecameDue'"


@pytest.fixture
def settings() -> Iterator[Settings]:
    with fresh_database(clock=NOW, reminder_interval_seconds=0.2, consistency_wait_ms=20000) as fresh:
        yield fresh


@pytest.fixture
def seeded(settings: Settings, pipeline: object, clock: object) -> Iterator[Seeded]:
    app = build_momentum(settings)
    yield seed(app)
    app.close()


def due(client: GraphQL, person: str) -> list[tuple[str, str, str, bool]]:
    rows = client.data(DUE, {"p": person})["checkInsDue"]
    return [(r["goal"]["title"], r["cadence"], r["dueAt"], r["overdue"]) for r in rows]


def test_check_ins_due_at_each_goals_cadence_for_whom_may_ask(settings: Settings, seeded: Seeded) -> None:
    ada, maya, bob, eve = (GraphQL(settings, p) for p in ("ada", "maya", "bob", "eve"))
    admin = GraphQL(settings, "root", ("admin",))
    wait_until(lambda: len(due(ada, "ada")) == 3, 30, "the seeded goals to be projected")
    expected = [
        ("Hire two", "MONTHLY", "2027-03-20T09:00:00+00:00", True),
        ("Ship", "WEEKLY", "2027-03-22T10:00:00+00:00", True),
        ("Private growth", "WEEKLY", "2027-03-27T10:00:00+00:00", False),
    ]
    assert due(ada, "ada") == expected
    assert due(maya, "ada") == expected  # her manager
    assert due(admin, "ada") == expected
    assert due(maya, "maya") == [("Core platform", "WEEKLY", "2027-03-08T09:00:00+00:00", True)]  # she leads core
    assert due(bob, "bob") == [("Learn Rust", "WEEKLY", "2027-03-08T09:00:00+00:00", True)]
    for asker, person in ((bob, "ada"), (eve, "ada"), (ada, "maya"), (ada, "nobody"), (ada, "bob")):
        assert [e["extensions"]["code"] for e in asker.post(DUE, {"p": person}).json()["errors"]] == ["FORBIDDEN"]
    assert due(admin, "nobody") == []


def cadence(client: GraphQL, written: dict[str, object]) -> str:
    query = "query($id: ID!, $c: Int) { goal(id: $id, consistency: $c) { checkInCadence } }"
    found: str = client.data(query, {"id": written["goalId"], "c": written["sequence"]})["goal"]["checkInCadence"]
    return found


def test_the_cadence_is_set_at_creation_and_changed_by_owner_manager_or_admin(
    settings: Settings, pipeline: object
) -> None:
    admin, ada, bob = GraphQL(settings, "root", ("admin",)), GraphQL(settings, "ada"), GraphQL(settings, "bob")
    build_feedback_org(admin)
    goal = ada.create_goal("Ship", checkInCadence="BIWEEKLY")
    assert cadence(ada, goal) == "BIWEEKLY"
    assert error_codes(bob, "setCheckInCadence", goalId=goal["goalId"], cadence="MONTHLY") == ["FORBIDDEN"]
    assert error_codes(ada, "setCheckInCadence", goalId=goal["goalId"], cadence="DAILY") == ["VALIDATION"]
    assert error_codes(ada, "setCheckInCadence", goalId="nope", cadence="DAILY") == ["VALIDATION"]
    changed = mutate(GraphQL(settings, "maya"), "setCheckInCadence", goalId=goal["goalId"], cadence="MONTHLY")
    assert cadence(ada, changed) == "MONTHLY"


def test_reminders_are_recorded_once_per_goal_and_due_moment_and_reach_only_their_person(
    settings: Settings, seeded: Seeded, log_dir: Path, sockets: list[Subscriptions]
) -> None:
    ada, bob = connected(settings, sockets, "ada"), connected(settings, sockets, "bob")
    ada.subscribe("1", BECAME_DUE)
    bob.subscribe("1", BECAME_DUE)
    wait_until(lambda: len(due(GraphQL(settings, "ada"), "ada")) == 3, 30, "the seeded goals to be projected")

    reminders = Process("reminders", settings, log_dir).start()
    wait_until(lambda: scalar(settings, REMINDERS) == 5, 60, lambda: "five reminders\n" + reminders.log())
    got = sorted((item(ada, field="checkInBecameDue") for _ in range(3)), key=lambda r: r["dueAt"])
    assert [(r["goal"]["title"], r["cadence"], r["dueAt"]) for r in got] == [
        ("Hire two", "MONTHLY", "2027-03-20T09:00:00+00:00"),
        ("Private growth", "WEEKLY", "2027-03-27T10:00:00+00:00"),
        ("Ship", "WEEKLY", "2027-03-29T10:00:00+00:00"),  # two weeks after its last check-in: the latest due
    ]
    assert item(bob, field="checkInBecameDue")["goal"]["title"] == "Learn Rust"

    reminders.kill()  # a restart, and a second scheduler at once, record nothing again
    again = [Process("reminders", settings, log_dir).start() for _ in range(2)]
    wait_until(lambda: scalar(settings, "SELECT count(*) FROM process_heartbeats WHERE kind = 'reminders' "
                                        "AND beat_at > now() - interval '1 second'") == 1, 30, "a restarted scheduler")
    for process in again:
        process.stop()
    assert scalar(settings, REMINDERS) == 5

    later = settings.model_copy(update={"clock": LATER})
    next_week = Process("reminders", later, log_dir).start()
    wait_until(lambda: scalar(settings, REMINDERS) == 10, 60, lambda: "five more reminders\n" + next_week.log())
    assert sorted(item(ada, field="checkInBecameDue")["dueAt"] for _ in range(3)) == [
        "2027-04-03T10:00:00+00:00", "2027-04-03T10:00:00+00:00", "2027-04-05T10:00:00+00:00"]
    next_week.stop()
    types = [json.loads(r.value)["type"] for r in topic_records(settings)]
    assert types.count("momentum.checkinreminder.CheckInBecameDue.v1") == 10
