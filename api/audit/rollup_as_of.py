"""Roll-up rows from Goal aggregates as they were (time travel), for projections/rollup.py."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.goal import Goal
from projections.goals.rollup import RollUp


def roll_up(goals: Iterable[Goal]) -> RollUp:
    found = list(goals)
    rows = [
        {"id": str(g.id), "parent_id": g.parent_id, "rolls_up": g.rolls_up, "weight": g.weight,
         "status": g.status, "progress": g.progress}
        for g in found
    ]
    results: list[dict[str, Any]] = [
        {"goal_id": str(g.id), "weight": r.get("weight", 1.0), "progress": r["progress"]}
        for g in found for r in g.key_results.values()
    ]
    rows_by_id = {r["id"] for r in rows}
    for row in rows:  # a parent that did not exist yet (or is outside the set) is no parent
        if row["parent_id"] not in rows_by_id:
            row["parent_id"] = None
    return RollUp(rows, results)
