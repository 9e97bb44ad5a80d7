"""Moving a goal to another cycle over GraphQL on the real stack: the timeline says so, with the
reason; time travel shows the goal in the cycle it was in at each moment; bad moves are refused."""

from __future__ import annotations

from bootstrap import build_momentum
from settings import Settings
from tests.e2e.audit_scenario import scenario
from tests.e2e.client import GraphQL, error_codes, mutate
from tests.e2e.test_audit_queries_http import TIMELINE, TREE_AS_OF
from tests.integration.org import ADMIN

TREE = """query($cycle: ID!, $c: Int) { goalTree(cycleId: $cycle, consistency: $c) { goal { title } } }"""


def test_a_moved_goal_is_in_its_new_cycle_now_and_in_its_old_one_before(settings: Settings, pipeline: object) -> None:
    app = build_momentum(settings)
    q1, company, mine, _ = scenario(app)
    q2 = str(app.cycles.create_cycle(ADMIN, name="2027-Q2", starts_on="2027-04-01", ends_on="2027-06-30").aggregate_id)
    closed = str(app.cycles.create_cycle(ADMIN, name="old", starts_on="2026-01-01", ends_on="2026-03-31").aggregate_id)
    app.cycles.close_cycle(ADMIN, closed)
    auditor, ada, bob = GraphQL(settings, "audrey", ("auditor",)), GraphQL(settings, "ada"), GraphQL(settings, "bob")

    assert error_codes(ada, "moveGoalToCycle", goalId=mine, cycleId=closed, reason="why") == ["CONFLICT"]
    assert error_codes(ada, "moveGoalToCycle", goalId=mine, cycleId=mine, reason="why") == ["NOT_FOUND"]
    assert error_codes(ada, "moveGoalToCycle", goalId=mine, cycleId="q2", reason="why") == ["VALIDATION"]
    assert error_codes(ada, "moveGoalToCycle", goalId=mine, cycleId=q1, reason="why") == ["VALIDATION"]
    assert error_codes(ada, "moveGoalToCycle", goalId=mine, cycleId=q2, reason=" ") == ["VALIDATION"]
    assert error_codes(bob, "moveGoalToCycle", goalId=mine, cycleId=q2, reason="why") == ["FORBIDDEN"]
    moved = mutate(ada, "moveGoalToCycle", goalId=mine, cycleId=q2, reason="slipped a quarter")

    edges = ada.data(TIMELINE, {"id": mine, "first": 50, "c": moved["sequence"]})["goalTimeline"]["edges"]
    entries = [e["node"] for e in edges]
    assert [e["event"] for e in entries][-1] == "MovedToCycle"
    before, last = entries[-2], entries[-1]
    assert (last["actor"], last["reason"]) == ("ada", "slipped a quarter")
    assert {c["field"]: (c["before"], c["after"]) for c in last["changes"]} == {
        "cycle_id": (q1, q2), "parent_id": (company, None)}

    then, now = before["at"], last["at"]
    assert [n["goal"]["title"] for n in auditor.data(TREE_AS_OF, {"cycle": q1, "at": then})["goalTreeAsOf"]] == [
        "Company"]
    assert auditor.data(TREE_AS_OF, {"cycle": q1, "at": then})["goalTreeAsOf"][0]["children"][0]["goal"] == {
        "title": "Ship v2"}
    assert [n["goal"]["title"] for n in auditor.data(TREE_AS_OF, {"cycle": q1, "at": now})["goalTreeAsOf"]] == [
        "Company"]
    assert auditor.data(TREE_AS_OF, {"cycle": q1, "at": now})["goalTreeAsOf"][0]["children"] == []
    assert [n["goal"]["title"] for n in auditor.data(TREE_AS_OF, {"cycle": q2, "at": now})["goalTreeAsOf"]] == [
        "Ship v2"]
    assert auditor.data(TREE_AS_OF, {"cycle": q2, "at": then})["goalTreeAsOf"] == []
    assert [n["goal"]["title"] for n in ada.data(TREE, {"cycle": q2, "c": moved["sequence"]})["goalTree"]] == [
        "Ship v2"]
    assert [n["goal"]["title"] for n in ada.data(TREE, {"cycle": q1})["goalTree"]] == ["Company"]
    app.close()
