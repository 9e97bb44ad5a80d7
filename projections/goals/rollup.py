"""Weighted roll-up of progress over key results and, where a goal says so, its aligned children.
Pure: computed at read time from read-model rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from projections.sql import Row


class RollUp:
    """A goal's progress is the weighted mean of its key results' progress and, when it rolls
    up, of its children's rolled-up progress (abandoned children do not count). A goal with
    nothing to weigh keeps the progress of its own check-ins."""

    def __init__(self, goals: Iterable[Row], key_results: Iterable[Row]) -> None:
        self.goals = {str(g["id"]): g for g in goals}
        self.children: dict[str, list[str]] = defaultdict(list)
        for goal in self.goals.values():
            if goal["parent_id"] is not None:
                self.children[str(goal["parent_id"])].append(str(goal["id"]))
        self.key_results: dict[str, list[Row]] = defaultdict(list)
        for result in key_results:
            self.key_results[str(result["goal_id"])].append(result)
        self.memo: dict[str, float] = {}

    def progress(self, goal_id: str) -> float:
        if goal_id not in self.memo:
            self.memo[goal_id] = self._compute(goal_id)
        return self.memo[goal_id]

    def _compute(self, goal_id: str) -> float:
        goal = self.goals[goal_id]
        parts = [(float(r["weight"]), float(r["progress"])) for r in self.key_results[goal_id]]
        if goal["rolls_up"]:
            parts += [
                (float(self.goals[c]["weight"]), self.progress(c))
                for c in self.children[goal_id]
                if self.goals[c]["status"] != "abandoned"
            ]
        total = sum(weight for weight, _ in parts)
        if total <= 0:
            return float(goal["progress"])
        return round(sum(weight * value for weight, value in parts) / total, 4)
