from typing import Any

from projections.goals.rollup import RollUp


def goal(id: str, parent: str | None = None, weight: float = 1, rolls_up: bool = False, **more: Any) -> dict[str, Any]:
    return {"id": id, "parent_id": parent, "weight": weight, "rolls_up": rolls_up,
            "status": more.get("status", "active"), "progress": more.get("progress", 0.0)}


def result(goal_id: str, progress: float, weight: float = 1) -> dict[str, Any]:
    return {"goal_id": goal_id, "progress": progress, "weight": weight}


def test_key_results_are_weighted() -> None:
    roll_up = RollUp([goal("g")], [result("g", 100, weight=3), result("g", 0)])
    assert roll_up.progress("g") == 75.0


def test_children_count_only_where_the_parent_rolls_up_and_never_when_abandoned() -> None:
    goals = [
        goal("top", rolls_up=True), goal("a", "top", weight=3), goal("b", "top", status="abandoned"),
        goal("flat"), goal("c", "flat"),
    ]
    results = [result("top", 0), result("a", 100), result("b", 100), result("c", 100)]
    roll_up = RollUp(goals, results)
    assert roll_up.progress("top") == 75.0
    assert roll_up.progress("flat") == 0.0  # no key results, no roll-up: its own check-ins


def test_a_goal_with_nothing_to_weigh_keeps_its_own_progress() -> None:
    assert RollUp([goal("g", progress=42.5)], []).progress("g") == 42.5
    assert RollUp([goal("g", progress=42.5, rolls_up=True), goal("z", "g", weight=0)], []).progress("g") == 42.5
