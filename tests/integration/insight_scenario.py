"""Seven weeks of a cycle (2027-Q1, 90 days), every event at an explicit past time through the
application's commands (the event store's clock is set before each), read on 2027-02-15 at
midnight UTC, when the cycle's pace is exactly 50 %."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from application.momentum import Momentum
from tests.integration.org import ADA, ADMIN, BOB, EVE, MAYA, build_org
from tests.integration.scenario import Clock
from tests.integration.scenario import clock as clock  # the fixture, for the tests that seed this

NOW = datetime(2027, 2, 15, tzinfo=UTC)
CYCLE_START = datetime(2027, 1, 1, tzinfo=UTC)


def on(month: int, day: int, hour: int = 10) -> None:
    Clock.now = datetime(2027 if month < 12 else 2026, month, day, hour, tzinfo=UTC)


@dataclass(frozen=True)
class Seeded:
    cycle: str
    goals: dict[str, str]  # name -> id
    sequence: int  # the last event's


# Each goal's health on NOW (core: 35 % rolled up from ada's 50 % and bob's 20 %, 15 behind pace).
HEALTH = {"core": "at_risk", "ada": "on_track", "bob": "off_track", "bob_private": "at_risk",
          "ada_done": "done", "ada_new": "not_started", "eve": "on_track", "eve_dropped": None}
STALE = {"bob", "core"}  # no check-in since 2027-01-24 and 01-20: more than 14 days
MISSING = {"bob", "ada_new", "core"}  # no check-in in the 7 days before NOW


def seed(app: Momentum) -> Seeded:
    on(12, 20)
    cycle = build_org(app)
    goals: dict[str, str] = {}

    def create(name: str, actor: object, **fields: object) -> str:
        goals[name] = str(app.goals.create_goal(actor, title=name, cycle_id=cycle, **fields).aggregate_id)  # type: ignore[arg-type]
        return goals[name]

    on(1, 1, 8)
    core = create("core", ADMIN, owner_kind="team", owner_id="core", rolls_up=True, weight=2)
    ada = create("ada", ADA, parent_id=core)
    _, screens = app.goals.add_key_result(ADA, ada, title="Screens", kind="increase_to", start=0, target=10)
    bob = create("bob", BOB, parent_id=core, visibility="team")
    bob_private = create("bob_private", BOB, visibility="private")
    ada_done = create("ada_done", ADA)
    eve = create("eve", EVE, weight=3)
    eve_dropped = create("eve_dropped", EVE)
    app.goals.approve_goal(MAYA, ada_done)
    for week, value, confidence in ((1, 1, 7), (2, 2, 8), (3, 3, 8), (4, 3.5, 6), (5, 4, 8), (6, 5, 8)):
        Clock.now = CYCLE_START + timedelta(days=7 * week, hours=10)  # Jan 8, 15, 22, 29, Feb 5, Feb 12
        app.goals.check_in_key_result(ADA, ada, screens, value=value, confidence=confidence)
    on(1, 10)
    app.goals.record_check_in(BOB, bob, progress=10, confidence=6)
    on(1, 24)
    app.goals.record_check_in(BOB, bob, progress=20, confidence=7)
    on(1, 20)
    app.goals.record_check_in(MAYA, core, progress=15, confidence=9)
    on(2, 1)
    app.goals.record_check_in(ADA, ada_done, progress=60, confidence=9)
    app.goals.complete_goal(ADA, ada_done, reason="shipped early")
    create("ada_new", ADA)
    on(2, 3)
    app.goals.abandon_goal(EVE, eve_dropped, reason="not needed")
    on(2, 10)
    app.goals.record_check_in(BOB, bob_private, progress=40, confidence=4)
    on(2, 12)
    last = app.goals.record_check_in(EVE, eve, progress=50, confidence=9)
    assert last.sequence is not None
    return Seeded(cycle, goals, last.sequence)


def tree_nodes(tree: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every node of a goalTreeAsOf answer, children after their parent."""
    return [n for node in tree for n in [node, *tree_nodes(node.get("children", []))]]


def expected_point(tree: list[dict[str, Any]], ids: set[str]) -> tuple[float | None, float | None]:
    """By hand from goalTreeAsOf: the weighted mean over the goals of `ids` that are not
    abandoned and not rolled up into a parent among them."""
    nodes = {n["goal"]["id"]: n for n in tree_nodes(tree)
             if n["goal"]["id"] in ids and n["goal"]["status"] != "ABANDONED"}
    roots = [n for n in nodes.values()
             if not (n["goal"]["parentId"] in nodes and nodes[n["goal"]["parentId"]]["goal"]["rollsUp"])]
    if not roots:
        return None, None
    weights = sum(n["goal"]["weight"] for n in roots)
    progress = sum(n["goal"]["weight"] * n["progress"] for n in roots) / weights
    confident = [n for n in roots if n["goal"]["confidence"] is not None]
    confidence = (sum(n["goal"]["weight"] * n["goal"]["confidence"] for n in confident)
                  / sum(n["goal"]["weight"] for n in confident)) if confident else None
    return progress, confidence
