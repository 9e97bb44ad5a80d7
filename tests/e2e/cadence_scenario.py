"""Simulated weeks of check-ins (February–March 2027) recorded through the application's
commands with the event store's clock set before each one, for cadence and engagement tests.

maya manages ada and bob (team core, led by maya); eve is in team ops. Due check-ins at NOW
(2027-03-29 12:00 UTC; grace 3 days), computed by hand from the times below:
ada: monthly (created 02-20 09:00, no check-in: due 03-20 09:00, overdue), weekly (last check-in
03-15 10:00: due 03-22 10:00, overdue), private weekly (last 03-20 10:00: due 03-27 10:00, not
overdue); not due: biweekly (last 03-20 10:00: due 04-03), a draft, a goal of a closed cycle.
maya: the team goal of core (created 03-01 09:00: due 03-08 09:00). bob: one weekly goal (created
03-01 09:00: due 03-08 09:00)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from application.momentum import Momentum
from tests.integration.org import ADA, ADMIN, BOB, EVE, MAYA, build_org
from tests.integration.scenario import clock as clock  # the fixture, for the tests that seed this
from tests.integration.scenario import on

NOW = datetime(2027, 3, 29, 12, tzinfo=UTC)
LATER = datetime(2027, 4, 6, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Seeded:
    cycle: str
    weekly: str
    private: str
    biweekly: str
    monthly: str
    draft: str
    closed: str
    team: str
    bobs: str


def active(app: Momentum, owner: object, title: str, **fields: object) -> str:
    goal = str(app.goals.create_goal(owner, title=title, **fields).aggregate_id)  # type: ignore[arg-type]
    app.goals.approve_goal(ADMIN, goal)
    return goal


def seed(app: Momentum) -> Seeded:
    on(2, 1, 9)
    cycle = build_org(app)
    closed_cycle = str(app.cycles.create_cycle(
        ADMIN, name="2026-Q4", starts_on="2026-10-01", ends_on="2027-03-31").aggregate_id)
    on(2, 20, 9)
    monthly = active(app, ADA, "Hire two", cycle_id=cycle, check_in_cadence="monthly")
    on(3, 1, 9)
    weekly = active(app, ADA, "Ship", cycle_id=cycle)
    private = active(app, ADA, "Private growth", cycle_id=cycle, visibility="private")
    biweekly = active(app, ADA, "Docs", cycle_id=cycle, check_in_cadence="biweekly")
    draft = str(app.goals.create_goal(ADA, title="Someday", cycle_id=cycle).aggregate_id)
    closed = active(app, ADA, "Old quarter", cycle_id=closed_cycle)
    team = active(app, ADMIN, "Core platform", owner_kind="team", owner_id="core", cycle_id=cycle)
    bobs = active(app, BOB, "Learn Rust", cycle_id=cycle)
    app.cycles.close_cycle(ADMIN, closed_cycle)
    for day in (8, 15):
        on(3, day)
        app.goals.record_check_in(ADA, weekly, progress=day * 2, confidence=7)
    on(3, 20)
    app.goals.record_check_in(ADA, private, progress=30, note="only for me and maya")
    app.goals.record_check_in(ADA, biweekly, progress=50)
    return Seeded(cycle, weekly, private, biweekly, monthly, draft, closed, team, bobs)


def seed_feedback(app: Momentum) -> None:
    """Feedback of every visibility and direction, a request answered by bob and declined by
    maya, and kudos of two values, in March (and one feedback in February, outside it)."""
    give = app.feedback.give_feedback
    on(2, 1, 9)
    app.recognition.define_value(ADMIN, value_id="ownership", name="Ownership")
    app.recognition.define_value(ADMIN, value_id="craft", name="Craft")
    on(2, 25)
    give(ADA, recipient_id="bob", kind="praise", visibility="public", text="February")
    on(3, 10)
    give(ADA, recipient_id="bob", kind="praise", visibility="public", text="peer, public")
    give(MAYA, recipient_id="ada", kind="constructive", visibility="private", text="downward, private")
    give(ADA, recipient_id="maya", kind="note", visibility="manager", text="upward, maya has no manager")
    give(BOB, recipient_id="ada", kind="praise", visibility="manager", text="peer, maya sees it")
    give(EVE, recipient_id="ada", kind="praise", visibility="public", text="peer, from another team")
    on(3, 12)
    request = str(app.feedback.request_feedback(ADA, respondent_ids=["bob", "maya"], question="The demo?").aggregate_id)
    on(3, 13)
    give(BOB, recipient_id="ada", kind="note", visibility="private", text="an answer", request_id=request)
    app.feedback.decline_feedback_request(MAYA, request, reason="was away")
    on(3, 14)
    app.recognition.give_kudos(BOB, recipient_ids=["ada"], value_id="ownership", points=10, message="shipped")
    app.recognition.give_kudos(ADA, recipient_ids=["bob", "maya"], value_id="ownership", points=5, message="help")
    app.recognition.give_kudos(MAYA, recipient_ids=["ada"], value_id="craft", points=3, message="clean")
