"""A command's copy of a cached aggregate is what deepcopy would make, and shares nothing it could change."""

from __future__ import annotations

import copy
from typing import Any

from application.copies import copy_of
from domain.goal import Goal


def _goal() -> Goal:
    goal = Goal.create(title="Ship", owner_id="ann", actor="ann")
    goal.add_key_result(key_result_id="kr0", title="KR", kind="increase_to", start=0, target=100, unit="%",
                        actor="ann")
    goal.record_check_in(progress=4, confidence=5, note="", blockers="", actor="ann")
    list(goal.collect_events())
    return goal


def test_a_copy_equals_the_deep_copy_and_changing_it_leaves_the_original() -> None:
    goal = _goal()
    before = copy.deepcopy(vars(goal))
    copied = copy_of(goal)
    assert type(copied) is Goal and vars(copied) == vars(copy.deepcopy(goal))
    copied.record_check_in(progress=50, confidence=3, note="n", blockers="", actor="ann")
    copied.key_results["kr0"]["value"] = 99.0
    copied.text_owners["title"] = "someone"
    assert vars(goal) == before


def test_containers_shared_in_the_original_are_shared_once_in_the_copy() -> None:
    goal = _goal()
    shared: dict[str, Any] = {"a": [1]}
    goal.pending_change = shared
    goal.key_results["kr0"]["also"] = shared
    copied = copy_of(goal)
    assert copied.pending_change is copied.key_results["kr0"]["also"]
    assert copied.pending_change is not shared and copied.pending_change["a"] is not shared["a"]


class _Slotted:
    __slots__ = ("value",)

    def __init__(self, value: list[int]) -> None:
        self.value = value


class _OwnCopy:
    def __init__(self) -> None:
        self.copies = 0

    def __deepcopy__(self, memo: dict[int, Any]) -> _OwnCopy:
        made = _OwnCopy()
        made.copies = self.copies + 1
        return made


def test_objects_that_copy_their_own_way_are_deep_copied() -> None:
    slotted = _Slotted([1])
    assert copy_of(slotted).value == [1] and copy_of(slotted).value is not slotted.value
    assert copy_of(_OwnCopy()).copies == 1
