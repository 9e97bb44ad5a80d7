"""The goal and timeline read models applied together, with one goal fold per event.

Alone, the timeline folds each goal event again from its own head (so that it rebuilds alone).
Applied with the goal read model, it takes that model's states instead, for every goal whose
head is identical to the goal's stored state (same fields, values and types: 2 and 2.0 are equal
but are written differently); so its entries are those it would have made alone. A goal whose
head differs (or exists on one side only) the timeline folds alone, as TimelineProjection does."""

from __future__ import annotations

import math
from typing import Any

from psycopg import Cursor

from contracts.envelope import Envelope
from projections.goals import fold as goals
from projections.goals import tables as goal_tables
from projections.goals.fold import GoalState, History
from projections.timeline import fold as timeline
from projections.timeline import tables as timeline_tables


class GoalsWithTimeline(goal_tables.GoalEventsProjection):
    """GoalProjection then TimelineProjection, in one pass over the batch's goal events."""

    def apply_goal_events(self, cur: Cursor[Any], relevant: list[Envelope]) -> None:
        ids = sorted({e["subject"] for e in relevant})
        states = goal_tables.load(cur, ids)
        heads = timeline_tables.load_heads(cur, ids)
        alone = {goal: heads.get(goal) for goal in ids if not same_state(states.get(goal), heads.get(goal))}
        history: list[History] = []
        entries: list[timeline.TimelineEntry] = []
        for event in relevant:
            subject = event["subject"]
            before = states.get(subject)
            after, fields = goals.moved(before, event)
            states[subject] = after
            if after is not before:
                history += goals.history(event)
            if subject in alone:
                alone[subject], found = timeline.entry(alone[subject], event)
            else:
                found = None if after is before else timeline.entry_of(before, after, fields, event)
            if found is not None:
                entries.append(found)
        goal_tables.write(cur, states, history)
        timeline_tables.write(cur, entries, states | {g: head for g, head in alone.items() if head is not None})


def same_state(a: GoalState | None, b: GoalState | None) -> bool:
    """Whether the goal states are identical: the same fields and key results (in the same
    order), with values equal and of the same types."""
    if a is None or b is None:
        return a is b
    return (type(a.goal) is type(b.goal) and identical(a.goal.__dict__, b.goal.__dict__)
            and list(a.key_results) == list(b.key_results)
            and all(identical(r.__dict__, b.key_results[i].__dict__) for i, r in a.key_results.items()))


def identical(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(identical(value, b[key]) for key, value in a.items())
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(map(identical, a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)
