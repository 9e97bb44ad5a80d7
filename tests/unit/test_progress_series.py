"""The fold of a progress series (api/insight/series.py): each goal as it was at each moment,
and the weighted roll-up of a set of goals. Pure: rows in, points out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from api.insight import series
from domain.pace import Span

T0 = datetime(2027, 1, 1, tzinfo=UTC)
Q1 = Span(date(2027, 1, 1), date(2027, 3, 31))


def state(goal: str, progress: float, *, parent: str | None = None, rolls_up: bool = False, weight: float = 1,
          status: str = "active", confidence: int | None = None) -> dict[str, Any]:
    return {"goal": {"id": goal, "parent_id": parent, "rolls_up": rolls_up, "weight": weight, "status": status,
                     "progress": progress, "confidence": confidence, "cycle_id": "c"}, "key_results": []}


def row(goal: str, days: float, **fields: Any) -> dict[str, Any]:
    return {"goal_id": goal, "at": T0 + timedelta(days=days), "state": state(goal, **fields)}


def test_each_moment_sees_every_goal_after_its_last_event_at_or_before_it() -> None:
    history = [row("a", 0, progress=0), row("b", 1, progress=5), row("a", 2, progress=30), row("a", 4, progress=60)]
    at = series.moments(T0, T0 + timedelta(days=4), timedelta(days=2))
    folded = [{g: s["goal"]["progress"] for g, s in states.items()} for states in series.states_at(history, at)]
    assert folded == [{"a": 0}, {"a": 30, "b": 5}, {"a": 60, "b": 5}]


def test_moments_never_pass_the_end() -> None:
    assert series.moments(T0, T0 + timedelta(days=13), timedelta(days=7)) == [T0, T0 + timedelta(days=7)]
    assert series.moments(T0, T0, timedelta(days=1)) == [T0]


def test_a_set_of_goals_is_the_weighted_mean_of_those_not_rolled_up_into_a_parent_among_them() -> None:
    states = {
        "parent": state("parent", 0, rolls_up=True, weight=2, confidence=8),
        "child": state("child", 40, parent="parent", confidence=2),
        "other": state("other", 70, confidence=5),
        "dropped": state("dropped", 100, status="abandoned"),
        "loose": state("loose", 10, parent="other"),  # its parent does not roll up: it counts on its own
    }
    point = series.scope_point(T0 + timedelta(days=45), states, lambda g: True, Q1)
    assert point.progress == (2 * 40 + 70 + 10) / 4  # the parent rolls its child up: 40 %
    assert point.confidence == (2 * 8 + 5) / 3
    assert point.expected_pace == 50.0
    nothing = series.scope_point(T0, states, lambda g: False, Q1)
    assert (nothing.progress, nothing.confidence) == (None, None)


def test_a_goal_before_it_existed_has_no_point() -> None:
    point = series.goal_point(T0, {}, "a", Q1)
    assert (point.progress, point.confidence, point.expected_pace) == (None, None, 0.0)
