"""Time travel from the event store: for every version of a goal in a long scenario (past the
snapshot interval), the goal as of that version equals replaying its events by hand."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

import pytest

from application.identity import Actor
from application.momentum import Momentum
from contracts.envelope import to_envelope
from domain.errors import ForbiddenError, NotFoundError, ValidationError
from domain.goal import Goal
from projections.goals import fold as goal_fold
from tests.integration.org import ADA, ADMIN, BOB, build_org

AUDITOR = Actor("audrey", frozenset({"auditor"}))


def long_scenario(app: Momentum) -> str:
    cycle = build_org(app)
    goal = str(app.goals.create_goal(ADA, title="Grow revenue", cycle_id=cycle).aggregate_id)
    results = [
        app.goals.add_key_result(ADA, goal, title="ARR", kind="increase_to", start=100, target=200, unit="k€")[1],
        app.goals.add_key_result(ADA, goal, title="Churn", kind="decrease_to", start=10, target=5, weight=2)[1],
        app.goals.add_key_result(ADA, goal, title="Launch", kind="milestone", start=0, target=1)[1],
    ]
    app.goals.propose_goal(ADA, goal, comment="please")
    app.goals.approve_goal(Actor("maya"), goal, comment="ok")
    for week in range(1, 241):
        kr = results[week % 2]
        value = 100 + week * 0.4 if week % 2 == 0 else 10 - (week % 5)
        app.goals.check_in_key_result(ADA, goal, kr, value=value, confidence=week % 11, note=f"week {week}")
        if week % 60 == 0:
            app.goals.revise_target(ADA, goal, results[0], target=200 + week, reason=f"revised {week}")
        if week % 45 == 0:
            app.goals.edit_goal(ADMIN, goal, title=f"Grow revenue ({week})", reason="sharper")
    app.goals.check_in_key_result(ADA, goal, results[2], value=1, confidence=9)
    app.goals.complete_goal(ADA, goal, reason="done")
    return goal


def replay_by_hand(app: Momentum, goal_id: str, version: int) -> Goal:
    aggregate: Any = None
    for event in app.events.get(UUID(goal_id), lte=version):
        aggregate = event.mutate(aggregate)
    return aggregate


def state(goal: Goal) -> dict[str, Any]:
    return {k: v for k, v in vars(goal).items() if k != "_pending_events"}


def test_every_version_equals_replaying_its_events_by_hand(momentum: Momentum) -> None:
    goal_id = long_scenario(momentum)
    last = momentum.goals.get_goal(goal_id).version
    assert last > 2 * 100, "the scenario must cross snapshots"
    events = list(momentum.events.get(UUID(goal_id)))
    envelopes = [to_envelope(e, 0, "") | {"sequence": e.originator_version} for e in events]
    folded: Any = None
    for version in range(1, last + 1):
        past = momentum.audit.goal_as_of(AUDITOR, goal_id, version=version)
        assert state(past) == state(replay_by_hand(momentum, goal_id, version))
        folded, _ = goal_fold.evolve(folded, envelopes[version - 1])
        view = folded.goal
        assert (past.title, past.status, past.confidence, past.check_in_count, past.owner_id) == (
            view.title, view.status, view.confidence, view.check_in_count, view.owner_id)
        assert {i: (r["value"], r["target"], r["progress"], r["weight"]) for i, r in past.key_results.items()} == {
            r.id: (r.current_value, r.target, r.progress, r.weight) for r in folded.key_results.values()}
        at = momentum.audit.goal_as_of(AUDITOR, goal_id, at=past.modified_on)
        assert at.version == max(e.originator_version for e in events if e.timestamp <= past.modified_on)
    assert asdict(folded.goal)["status"] == "completed"


def test_time_travel_is_for_auditors_admins_and_the_owner(momentum: Momentum) -> None:
    build_org(momentum)
    goal_id = str(momentum.goals.create_goal(ADA, title="Mine").aggregate_id)
    momentum.goals.record_check_in(ADA, goal_id, progress=50)
    assert momentum.audit.goal_as_of(ADA, goal_id, version=1).progress == 0
    assert momentum.audit.goal_as_of(ADMIN, goal_id, version=2).progress == 50
    with pytest.raises(ForbiddenError):
        momentum.audit.goal_as_of(BOB, goal_id, version=1)
    with pytest.raises(ValidationError):
        momentum.audit.goal_as_of(ADA, goal_id, version=3)
    with pytest.raises(ValidationError):
        momentum.audit.goal_as_of(ADA, goal_id)
    first = momentum.audit.goal_as_of(ADA, goal_id, version=1).created_on
    with pytest.raises(NotFoundError):
        momentum.audit.goal_as_of(ADA, goal_id, at=first.replace(year=2000))
