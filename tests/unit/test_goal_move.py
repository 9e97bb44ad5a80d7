"""Moving a goal to another cycle: the domain's rule (pure) and the command on the in-memory store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from application.momentum import Momentum
from domain.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from domain.goal import Goal
from tests.integration.org import ADA, ADMIN, BOB, stored_count


def test_a_move_changes_the_cycle_leaves_the_parent_and_keeps_the_reason() -> None:
    parent = Goal.create(title="Company", owner_id="ada", actor="ada", cycle_id="q1")
    goal = Goal.create(title="Ship", owner_id="ada", actor="ada", cycle_id="q1", parent=parent)
    goal.move_to_cycle("q2", reason="slipped a quarter", actor="ada")
    (created, moved) = goal.collect_events()
    assert (goal.cycle_id, goal.parent_id) == ("q2", None)
    assert isinstance(moved, Goal.MovedToCycle)
    assert (moved.previous_cycle_id, moved.reason) == ("q1", "slipped a quarter")


@pytest.mark.parametrize(("cycle", "reason", "field"), [("q1", "why", "cycleId"), ("q2", "  ", "reason"),
                                                        ("", "why", "cycleId"), ("x" * 101, "why", "cycleId")])
def test_a_move_needs_another_cycle_and_a_reason(cycle: str, reason: str, field: str) -> None:
    goal = Goal.create(title="Ship", owner_id="ada", actor="ada", cycle_id="q1")
    with pytest.raises(ValidationError) as raised:
        goal.move_to_cycle(cycle, reason=reason, actor="ada")
    assert raised.value.field == field


def test_a_finished_goal_does_not_move() -> None:
    goal = Goal.create(title="Ship", owner_id="ada", actor="ada", cycle_id="q1")
    goal.abandon(actor="ada")
    with pytest.raises(ConflictError):
        goal.move_to_cycle("q2", reason="why", actor="ada")


@pytest.fixture
def momentum() -> Iterator[Momentum]:
    app = Momentum()
    yield app
    app.close()


def _cycle(momentum: Momentum, name: str) -> str:
    stored = momentum.cycles.create_cycle(ADMIN, name=name, starts_on="2027-01-01", ends_on="2027-03-31")
    return str(stored.aggregate_id)


def test_the_owner_moves_a_draft_between_open_cycles(momentum: Momentum) -> None:
    q1, q2 = _cycle(momentum, "Q1"), _cycle(momentum, "Q2")
    goal = str(momentum.goals.create_goal(ADA, title="Ship", cycle_id=q1).aggregate_id)
    momentum.goals.move_goal_to_cycle(ADA, goal, cycle_id=q2, reason="later")
    assert momentum.goals.get_goal(goal).cycle_id == q2


@pytest.mark.parametrize(
    ("who", "target", "error"),
    [
        (ADA, "closed", ConflictError),
        (ADA, "7d2b1c9e-0000-4000-8000-000000000000", NotFoundError),
        (ADA, "not-a-uuid", ValidationError),
        (BOB, "open", NotFoundError),  # bob may not see ada's private goal
        (ADA, "from-closed", ConflictError),
    ],
)
def test_a_refused_move_stores_nothing(momentum: Momentum, who: object, target: str, error: type) -> None:
    open_cycle, closed = _cycle(momentum, "Q2"), _cycle(momentum, "Q3")
    source = _cycle(momentum, "Q1")
    goal = str(momentum.goals.create_goal(ADA, title="Ship", cycle_id=source, visibility="private").aggregate_id)
    momentum.cycles.close_cycle(ADMIN, closed)
    if target == "from-closed":
        momentum.cycles.close_cycle(ADMIN, source)
    cycle = {"closed": closed, "open": open_cycle, "from-closed": open_cycle}.get(target, target)
    before = stored_count(momentum)
    with pytest.raises(error):
        momentum.goals.move_goal_to_cycle(who, goal, cycle_id=cycle, reason="why")  # type: ignore[arg-type]
    assert stored_count(momentum) == before


def test_an_active_goal_is_moved_by_the_manager_not_by_its_owner(momentum: Momentum) -> None:
    q1, q2 = _cycle(momentum, "Q1"), _cycle(momentum, "Q2")
    goal = str(momentum.goals.create_goal(ADA, title="Ship", cycle_id=q1).aggregate_id)
    momentum.goals.approve_goal(ADMIN, goal)
    with pytest.raises(ForbiddenError):
        momentum.goals.move_goal_to_cycle(ADA, goal, cycle_id=q2, reason="later")
    momentum.goals.move_goal_to_cycle(ADMIN, goal, cycle_id=q2, reason="later")
    assert momentum.goals.get_goal(goal).cycle_id == q2
