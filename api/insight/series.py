"""A progress series folded from goal timelines (the goal after each of its events, with when):
at each moment, every goal as it was then, rolled up as goalTreeAsOf rolls it up. Pure."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from domain import pace
from projections.goals.rollup import RollUp
from projections.sql import Row

GoalState = dict[str, Any]  # a timeline state: {"goal": {...}, "key_results": [{...}]}


@dataclass(frozen=True)
class Point:
    at: datetime
    progress: float | None
    confidence: float | None
    expected_pace: float | None


def moments(start: datetime, end: datetime, step: timedelta) -> list[datetime]:
    """start, start + step, … up to end (never past it)."""
    return [start + k * step for k in range((end - start) // step + 1)]


def states_at(history: list[Row], at: list[datetime]) -> Iterator[dict[str, GoalState]]:
    """For each moment (ascending), every goal's state after its last event at or before it;
    `history` is (goal_id, at, state) rows ordered by time."""
    current: dict[str, GoalState] = {}
    index = 0
    for moment in at:
        while index < len(history) and history[index]["at"] <= moment:
            current[history[index]["goal_id"]] = history[index]["state"]
            index += 1
        yield dict(current)


def roll_up(states: dict[str, GoalState]) -> RollUp:
    return RollUp([s["goal"] for s in states.values()], [r for s in states.values() for r in s["key_results"]])


def _mean(pairs: list[tuple[float, float]]) -> float | None:
    if not pairs:
        return None
    total = sum(weight for weight, _ in pairs)
    if total <= 0:
        return round(sum(value for _, value in pairs) / len(pairs), 4)
    return round(sum(weight * value for weight, value in pairs) / total, 4)


def counted(goals: list[GoalState]) -> list[GoalState]:
    """The goals of a roll-up that count on their own: not abandoned, and not already inside a
    counted parent that rolls them up."""
    kept = {str(g["id"]): g for g in goals if g["status"] != "abandoned"}
    return [
        g for g in kept.values()
        if not (g["parent_id"] is not None and str(g["parent_id"]) in kept and kept[str(g["parent_id"])]["rolls_up"])
    ]


def weighted(goals: list[GoalState], progress: Callable[[str], float]) -> tuple[float | None, float | None]:
    """(progress, confidence) of a set of goals: weighted by each goal's weight over `counted`."""
    roots = counted(goals)
    confident = [(float(g["weight"]), float(g["confidence"])) for g in roots if g["confidence"] is not None]
    return _mean([(float(g["weight"]), progress(str(g["id"]))) for g in roots]), _mean(confident)


def goal_point(at: datetime, states: dict[str, GoalState], goal_id: str, span: pace.Span | None) -> Point:
    pace_then = None if span is None else span.expected_progress(at)
    if goal_id not in states:
        return Point(at, None, None, pace_then)
    goal = states[goal_id]["goal"]
    return Point(at, roll_up(states).progress(goal_id), goal["confidence"], pace_then)


def scope_point(
    at: datetime, states: dict[str, GoalState], belongs: Callable[[GoalState], bool], span: pace.Span
) -> Point:
    """The weighted roll-up of the goals that `belongs` (given each goal's state then)."""
    rolled = roll_up(states)
    progress, confidence = weighted([s["goal"] for s in states.values() if belongs(s["goal"])], rolled.progress)
    return Point(at, progress, confidence, span.expected_progress(at))
