"""Timelines, person activity and time travel over GraphQL on the real stack, with access rules."""

from __future__ import annotations

from typing import Any

from bootstrap import build_momentum
from settings import Settings
from tests.e2e.audit_scenario import scenario
from tests.e2e.client import GraphQL

TIMELINE = """query($id: ID!, $first: Int!, $after: String, $c: Int) {
  goalTimeline(goalId: $id, first: $first, after: $after, consistency: $c) {
    edges { cursor node { version event actor reason at changes { field before after } } }
    pageInfo { hasNextPage endCursor } } }"""
ACTIVITY = """query($p: ID!, $c: Int) { personActivity(personId: $p, first: 100, consistency: $c) {
  edges { node { goalId version event } } } }"""
AS_OF = """query($id: ID!, $v: Int, $at: DateTime) { goalAsOf(goalId: $id, version: $v, at: $at) {
  version title progress confidence keyResults { value progress weight } } }"""
TREE_AS_OF = """query($cycle: ID!, $at: DateTime!) { goalTreeAsOf(cycleId: $cycle, at: $at) {
  goal { title } progress children { goal { title } progress } } }"""


def codes(client: GraphQL, query: str, variables: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in client.post(query, variables).json().get("errors", [])]


def test_timelines_and_time_travel_with_their_access_rules(settings: Settings, pipeline: object) -> None:
    app = build_momentum(settings)
    cycle, company, mine, sequence = scenario(app)
    auditor, ada, bob = (GraphQL(settings, "audrey", ("auditor",)), GraphQL(settings, "ada"), GraphQL(settings, "bob"))

    first = auditor.data(TIMELINE, {"id": mine, "first": 2, "c": sequence})["goalTimeline"]
    assert [e["node"]["event"] for e in first["edges"]] == ["Created", "KeyResultAdded"]
    assert first["pageInfo"]["hasNextPage"]
    rest = ada.data(TIMELINE, {"id": mine, "first": 10, "after": first["pageInfo"]["endCursor"]})["goalTimeline"]
    entries = [e["node"] for e in rest["edges"]]
    assert [e["event"] for e in entries] == ["KeyResultCheckedIn", "DetailsChanged", "KeyResultCheckedIn"]
    renamed = entries[1]
    assert (renamed["actor"], renamed["reason"], renamed["changes"]) == (
        "ada", "scope grew", [{"field": "title", "before": "Ship", "after": "Ship v2"}])
    assert {"field": "confidence", "before": 6, "after": 7} in entries[2]["changes"]
    assert not rest["pageInfo"]["hasNextPage"]
    assert codes(bob, TIMELINE, {"id": mine, "first": 5}) == ["FORBIDDEN"]
    assert codes(ada, TIMELINE, {"id": company, "first": 5}) == ["FORBIDDEN"]

    activity = ada.data(ACTIVITY, {"p": "ada", "c": sequence})["personActivity"]["edges"]
    assert [(e["node"]["goalId"], e["node"]["version"]) for e in activity] == [(mine, v) for v in range(1, 6)]
    assert len(auditor.data(ACTIVITY, {"p": "ada"})["personActivity"]["edges"]) == 5
    assert codes(bob, ACTIVITY, {"p": "ada"}) == ["FORBIDDEN"]

    past = auditor.data(AS_OF, {"id": mine, "v": 3})["goalAsOf"]
    assert past == {"version": 3, "title": "Ship", "progress": 40.0, "confidence": 6,
                    "keyResults": [{"value": 4.0, "progress": 40.0, "weight": 1.0}]}
    at = entries[1]["at"]
    assert ada.data(AS_OF, {"id": mine, "at": at})["goalAsOf"]["title"] == "Ship v2"
    assert codes(bob, AS_OF, {"id": mine, "v": 1}) == ["FORBIDDEN"]
    assert codes(ada, AS_OF, {"id": mine, "v": 99}) == ["VALIDATION"]

    tree = auditor.data(TREE_AS_OF, {"cycle": cycle, "at": at})["goalTreeAsOf"]
    assert tree == [{"goal": {"title": "Company"}, "progress": 40.0,
                     "children": [{"goal": {"title": "Ship v2"}, "progress": 40.0}]}]
    assert codes(ada, TREE_AS_OF, {"cycle": cycle, "at": at}) == ["FORBIDDEN"]
    app.close()
