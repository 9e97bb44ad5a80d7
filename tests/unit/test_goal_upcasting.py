"""A goal's v1 envelopes, already on the topic, are projected as v2: `private_to` as v1 knew it."""

from __future__ import annotations

from contracts.upcasting import upcast
from projections.goals import fold as goals

CREATED = {"cycle_id": None, "title": "Old", "description": "d", "owner_kind": "person", "owner_id": "ada",
           "parent_id": None, "weight": 1.0, "visibility": "private", "rolls_up": False, "status": "draft"}


def envelope(name: str, version: int, data: dict[str, object]) -> dict[str, object]:
    return {"type": f"momentum.goal.{name}.v1", "dataschema": "x", "subject": "g", "time": "2026-11-01T09:00:00Z",
            "sequence": version, "aggregateversion": version, "actor": "ada", "data": data}


def test_v1_goal_envelopes_upcast_to_v2_and_fold() -> None:
    created = upcast(envelope("Created", 1, CREATED))
    edited = upcast(envelope("DetailsChanged", 2, {"title": "New", "description": "e", "visibility": "private",
                                                   "rolls_up": False, "reason": ""}))
    assert (created["type"], created["data"]["private_to"]) == ("momentum.goal.Created.v2", "ada")
    assert (edited["type"], edited["data"]["private_to"]) == ("momentum.goal.DetailsChanged.v2", None)
    assert upcast(envelope("Created", 1, {**CREATED, "visibility": "public"}))["data"]["private_to"] is None
    team_goal = {**CREATED, "owner_kind": "team", "owner_id": "core"}  # v1 sealed only a person's private goal
    assert upcast(envelope("Created", 1, team_goal))["data"]["private_to"] is None
    state, _ = goals.evolve(None, created)
    state, _ = goals.evolve(state, edited)
    assert goals.handles(edited) and (state.goal.title, state.goal.version) == ("New", 2)
