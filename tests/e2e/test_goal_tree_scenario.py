"""A three-level goal tree on the real stack: company → team → person, check-ins on key
results of every kind, and the rolled-up progress read back at each level."""

from __future__ import annotations

from typing import Any

import pytest

from settings import Settings
from tests.e2e.client import GraphQL, mutate
from tests.stack import Process

TREE = """query($cycle: ID!, $consistency: Int) {
  goalTree(cycleId: $cycle, consistency: $consistency) {
    goal { title } progress
    children { goal { title } progress
      children { goal { title } progress children { goal { title } } } }
  } }"""
GOAL = """query($id: ID!, $consistency: Int) { goal(id: $id, consistency: $consistency) {
  title status progress ownProgress confidence checkInCount stale
  owner { ... on Person { name manager { id } } ... on Team { name lead { id } } }
  cycle { name closed }
  keyResults { title kind start target currentValue progress confidence checkInCount }
  checkIns { keyResultId value progress confidence note blockers actor }
  targetRevisions { previousTarget target reason actor }
  dialogue { kind text actor }
} }"""


def key_result(
    client: GraphQL, goal_id: str, kind: str, start: float, target: float, **more: Any
) -> str:
    written = mutate(
        client,
        "addKeyResult",
        goalId=goal_id,
        title=kind,
        kind=kind,
        start=start,
        target=target,
        **more,
    )
    return str(written["keyResultId"])


def test_a_three_level_tree_rolls_progress_up_from_every_kind_of_key_result(
    settings: Settings, pipeline: dict[str, Process]
) -> None:
    admin = GraphQL(settings, "root", ("admin",))
    cleo, pat, ivy = GraphQL(settings, "cleo"), GraphQL(settings, "pat"), GraphQL(settings, "ivy")
    mutate(admin, "registerPerson", personId="cleo", name="Cleo", email="cleo@example.com")
    for team, lead in (("company", "cleo"), ("product", None)):
        mutate(admin, "registerTeam", teamId=team, name=team.title(), leadId=lead)
    mutate(
        admin,
        "registerPerson",
        personId="pat",
        name="Pat",
        email="pat@example.com",
        managerId="cleo",
        teamId="product",
    )
    mutate(admin, "updateTeam", teamId="product", name="Product", leadId="pat")
    mutate(
        admin,
        "registerPerson",
        personId="ivy",
        name="Ivy",
        email="ivy@example.com",
        managerId="pat",
        teamId="product",
    )
    cycle = mutate(
        admin, "createCycle", name="2027-Q1", startsOn="2027-01-01", endsOn="2027-03-31"
    )["id"]

    company = mutate(
        admin,
        "createGoal",
        title="Grow the company",
        ownerKind="TEAM",
        ownerId="company",
        cycleId=cycle,
        rollsUp=True,
    )["goalId"]
    revenue = key_result(admin, company, "INCREASE_TO", 0, 100, unit="k€")
    mutate(admin, "approveGoal", goalId=company, comment="company goal")

    team = mutate(
        pat,
        "createGoal",
        title="Keep customers",
        ownerKind="TEAM",
        ownerId="product",
        cycleId=cycle,
        parentId=company,
        weight=3,
        rollsUp=True,
    )["goalId"]
    churn = key_result(pat, team, "DECREASE_TO", 10, 5, unit="%")
    incidents = key_result(pat, team, "STAY_BELOW", 0, 2)
    mutate(pat, "proposeGoal", goalId=team, comment="our part")
    mutate(cleo, "approveGoal", goalId=team, comment="good")

    mine = mutate(
        ivy, "createGoal", title="Delight users", cycleId=cycle, parentId=team, visibility="TEAM"
    )["goalId"]
    nps = key_result(ivy, mine, "STAY_ABOVE", 0, 40)
    launch = key_result(ivy, mine, "MILESTONE", 0, 1)
    mutate(ivy, "proposeGoal", goalId=mine, comment="my plan")
    mutate(pat, "requestGoalChanges", goalId=mine, comment="add the launch date")
    mutate(ivy, "proposeGoal", goalId=mine, comment="done")
    mutate(pat, "approveGoal", goalId=mine)

    mutate(
        pat, "reviseKeyResultTarget", goalId=team, keyResultId=churn, target=6, reason="realistic"
    )
    mutate(cleo, "checkInKeyResult", goalId=company, keyResultId=revenue, value=50, confidence=7)
    mutate(
        pat, "checkInKeyResult", goalId=team, keyResultId=churn, value=8, confidence=5, note="slow"
    )
    mutate(pat, "checkInKeyResult", goalId=team, keyResultId=incidents, value=1, confidence=9)
    mutate(
        ivy,
        "checkInKeyResult",
        goalId=mine,
        keyResultId=nps,
        value=30,
        confidence=4,
        blockers="survey late",
    )
    last = mutate(
        ivy,
        "checkInKeyResult",
        goalId=mine,
        keyResultId=launch,
        value=1,
        confidence=10,
        note="shipped",
    )

    # person: NPS 30 < 40 → 0 %, launch done → 100 %: 50 %
    # team: churn (10 → 8 of 10 → 6) 50 %, incidents 1 ≤ 2 100 %, child 50 % (weight 1): 66.6667 %
    # company: revenue 50 % (weight 1), team 66.6667 % (weight 3): 62.5 %
    [root] = ivy.data(TREE, {"cycle": cycle, "consistency": last["sequence"]})["goalTree"]
    assert (root["goal"]["title"], root["progress"]) == ("Grow the company", 62.5)
    [child] = root["children"]
    assert (child["goal"]["title"], child["progress"]) == (
        "Keep customers",
        pytest.approx(66.6667, abs=1e-3),
    )
    [leaf] = child["children"]
    assert (leaf["goal"]["title"], leaf["progress"], leaf["children"]) == (
        "Delight users",
        50.0,
        [],
    )

    progress = {g: ivy.data(GOAL, {"id": g})["goal"]["progress"] for g in (company, team, mine)}
    assert progress == {company: 62.5, team: pytest.approx(66.6667, abs=1e-3), mine: 50.0}

    person_goal = ivy.data(GOAL, {"id": mine})["goal"]
    assert person_goal["status"] == "ACTIVE" and person_goal["owner"] == {
        "name": "Ivy",
        "manager": {"id": "pat"},
    }
    assert person_goal["cycle"] == {"name": "2027-Q1", "closed": False}
    assert [(k["kind"], k["progress"]) for k in person_goal["keyResults"]] == [
        ("STAY_ABOVE", 0.0),
        ("MILESTONE", 100.0),
    ]
    assert [(c["value"], c["confidence"], c["blockers"]) for c in person_goal["checkIns"]] == [
        (30.0, 4, "survey late"),
        (1.0, 10, ""),
    ]
    assert (person_goal["confidence"], person_goal["checkInCount"], person_goal["stale"]) == (
        10,
        2,
        False,
    )
    assert [(d["kind"], d["actor"]) for d in person_goal["dialogue"]] == [
        ("PROPOSED", "ivy"),
        ("CHANGES_REQUESTED", "pat"),
        ("PROPOSED", "ivy"),
        ("APPROVED", "pat"),
    ]
    team_goal = ivy.data(GOAL, {"id": team})["goal"]
    assert team_goal["owner"] == {"name": "Product", "lead": {"id": "pat"}}
    assert team_goal["targetRevisions"] == [
        {"previousTarget": 5.0, "target": 6.0, "reason": "realistic", "actor": "pat"}
    ]
    assert [(k["kind"], k["currentValue"], k["progress"]) for k in team_goal["keyResults"]] == [
        ("DECREASE_TO", 8.0, 50.0),
        ("STAY_BELOW", 1.0, 100.0),
    ]
