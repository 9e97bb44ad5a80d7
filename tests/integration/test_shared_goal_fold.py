"""The goal and timeline read models applied together share one goal fold per event
(projections/timeline/shared.py): their tables hold exactly what each read model writes alone,
on the seeded month, on the time-travel goal (key results, revisions, 240 check-ins) and where
a goal's timeline head differs from its stored row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from application.momentum import Momentum
from bootstrap import prepare_read_models, read_models
from projections.batch import Batched
from projections.goals import fold as goals
from projections.readmodel import Projection
from settings import Settings
from tests.integration.readside import envelopes
from tests.integration.scenario import clock, seed
from tests.integration.test_time_travel import long_scenario

__all__ = ["clock"]
GOAL = "00000000-0000-4000-8000-000000000001"
TABLES = {
    "goals": "id", "goal_key_results": "goal_id, id", "goal_check_ins": "goal_id, version",
    "goal_target_revisions": "goal_id, version", "goal_dialogue": "goal_id, version",
    "goal_timeline": "goal_id, version", "goal_timeline_heads": "goal_id",
}


def _tables(settings: Settings, projections: list[Projection], batches: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """The goal and timeline tables, as text, after applying `batches` (one transaction each)."""
    with psycopg.connect(settings.database_url) as conn:
        conn.execute(f"TRUNCATE {', '.join(TABLES)}")
        for batch in batches:
            with conn.transaction(), conn.cursor() as cur:
                for projection in projections:
                    projection.apply(cur, batch)
        found = {table: conn.execute(f"SELECT t::text FROM {table} t ORDER BY {key}").fetchall()
                 for table, key in TABLES.items()}
        found["changes"] = conn.execute("SELECT changes::text FROM goal_timeline ORDER BY goal_id, version").fetchall()
        return found


def _together_and_alone(settings: Settings, batches: list[list[dict[str, Any]]]) -> tuple[Any, Any]:
    prepare_read_models(settings)
    models = [m for m in read_models() if m.name in ("goals", "timeline")]
    return _tables(settings, [Batched(models)], batches), _tables(settings, models, batches)


@pytest.mark.parametrize("scenario", [seed, long_scenario], ids=["seeded-month", "time-travel"])
def test_projected_together_the_goal_fold_runs_once_and_the_tables_equal_each_read_model_alone(
    momentum: Momentum, settings: Settings, clock: Any, monkeypatch: pytest.MonkeyPatch,
    scenario: Callable[[Momentum], Any],
) -> None:
    scenario(momentum)
    events = envelopes(momentum, settings)
    folded = []
    moved = goals.moved
    monkeypatch.setattr(goals, "moved", lambda state, event: folded.append(event) or moved(state, event))
    together, alone = _together_and_alone(settings, [events[i:i + 7] for i in range(0, len(events), 7)])
    assert together["goal_timeline"] and together["goals"]
    assert together == alone
    goal_events = sum(1 for e in events if goals.handles(e))
    assert len(folded) == goal_events * 3  # once together, twice alone


def _event(name: str, version: int, **data: Any) -> dict[str, Any]:
    return {"type": f"momentum.goal.{name}.v2", "subject": GOAL, "aggregateversion": version, "sequence": version,
            "time": f"2027-01-0{version}T00:00:00Z", "actor": "ada", "data": data}


def test_a_head_unlike_the_goal_row_is_folded_by_the_timeline_alone(settings: Settings) -> None:
    """An integer weight is stored as 2.0 in the goal's row but as 2 in its head: the next
    change of weight must say it was 2, as the timeline alone says."""
    created = _event("Created", 1, cycle_id=None, title="Ship", description="", owner_kind="person",
                     owner_id="ada", parent_id=None, weight=1.0, rolls_up=False, visibility="public", status="draft")
    batches = [[created, _event("Aligned", 2, parent_id=None, weight=2)],
               [_event("Aligned", 3, parent_id=None, weight=3)]]
    together, alone = _together_and_alone(settings, batches)
    assert alone["changes"][-1] == ('[{"after": 3, "field": "weight", "before": 2}]',)
    assert together == alone
