"""A goal's expected progress and health, resolved with the request's loaders (its cycle, its
rolled-up progress), so a page of goals costs no query per goal."""

from __future__ import annotations

from typing import Any

from api.context import Context
from api.insight.health import goal_health, span_of
from api.insight.types import GoalHealth
from api.loaders import loaders


async def expected_progress(context: Context, cycle_id: object | None) -> float | None:
    """The linear pace of the goal's cycle now; null for a goal without a cycle."""
    cycle = None if cycle_id is None else await loaders(context).cycles.load(str(cycle_id))
    return None if cycle is None else span_of(cycle).expected_progress(context.now())


async def health(
    context: Context, goal_id: str, cycle_id: object | None, facts: dict[str, Any]
) -> GoalHealth | None:
    """`facts`: the goal's status (lifecycle), confidence and check_in_count."""
    expected = await expected_progress(context, cycle_id)
    if expected is None:
        return None
    progress = await loaders(context).progress.load(goal_id)
    found = goal_health(facts, progress, expected, context.services.settings)
    return None if found is None else GoalHealth(found)
