"""The timeline stores each event's change, not the goal after it: the goal after every version
is replayed from the changes. On the seeded month and on the time-travel scenario, the states
the audit page is given, its HTML and every change equal what the former timeline stored (the
goal folded after each event, and the diff of every visible field), also when the goals'
heads are lost midway (timeline rows written before heads existed)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from api.audit.page import render
from application.momentum import Momentum
from projections.goals import fold as goals
from projections.goals.fold import GoalState
from projections.timeline import queries
from projections.timeline.fold import BOOKKEEPING, KEY_RESULT_BOOKKEEPING, state_to_json
from projections.timeline.queries import Scope
from projections.views import as_dict
from settings import Settings
from tests.integration.readside import envelopes, project
from tests.integration.scenario import clock, seed
from tests.integration.test_time_travel import long_scenario

__all__ = ["clock"]


def flatten(state: GoalState | None) -> dict[str, Any]:
    """The former timeline's view of the visible fields: the reference the changes are held to."""
    if state is None:
        return {}
    fields = {k: v for k, v in as_dict(state.goal).items() if k not in BOOKKEEPING}
    for result in state.key_results.values():
        for name, value in as_dict(result).items():
            if name not in KEY_RESULT_BOOKKEEPING:
                fields[f"keyResults.{result.id}.{name}"] = value
    return fields


def formerly_stored(events: list[dict[str, Any]]) -> dict[str, list[tuple[dict[str, Any], list[dict[str, Any]]]]]:
    """Goal → (state, changes) of each version, as the former timeline stored them (through JSON)."""
    states: dict[str, GoalState] = {}
    stored: dict[str, list[tuple[dict[str, Any], list[dict[str, Any]]]]] = {}
    for event in (e for e in events if goals.handles(e)):
        before = states.get(event["subject"])
        after, _ = goals.evolve(before, event)
        old, new = flatten(before), flatten(after)
        changes = [{"field": n, "before": old.get(n), "after": new.get(n)}
                   for n in sorted(old.keys() | new.keys()) if old.get(n) != new.get(n)]
        states[event["subject"]] = after
        stored.setdefault(event["subject"], []).append(json.loads(json.dumps((state_to_json(after), changes))))
    return stored


def _seeded_month(app: Momentum) -> None:
    seed(app)


async def _read(settings: Settings, goal: str) -> tuple[list[Any], list[Any]]:
    async with await psycopg.AsyncConnection.connect(settings.database_url) as conn:
        entries = await queries.entries(conn, Scope(goal=goal), after=0, limit=100_000)
        return entries, await queries.goal_states(conn, goal)


@pytest.mark.parametrize("heads_lost", [False, True], ids=["heads", "heads-lost-midway"])
@pytest.mark.parametrize("scenario", [_seeded_month, long_scenario], ids=["seeded-month", "time-travel"])
def test_replayed_states_and_changes_equal_what_the_timeline_stored(
    momentum: Momentum, settings: Settings, clock: Any, scenario: Callable[[Momentum], Any], heads_lost: bool
) -> None:
    scenario(momentum)
    events = envelopes(momentum, settings)
    middle = len(events) // 2
    project(settings, events[:middle], batch=7)
    if heads_lost:
        with psycopg.connect(settings.database_url) as conn:
            conn.execute("DELETE FROM goal_timeline_heads")
    project(settings, events[middle:], batch=7)
    expected = formerly_stored(events)
    assert expected
    for goal, versions in expected.items():
        entries, states = asyncio.run(_read(settings, goal))
        assert [e["changes"] for e in entries] == [changes for _, changes in versions]
        assert [s["state"] for s in states] == [state for state, _ in versions]
        former = [{**s, "state": state} for s, (state, _) in zip(states, versions, strict=True)]
        assert render(goal, entries, states) == render(goal, entries, former)
