"""Every goal, cycle and directory command over GraphQL on the real stack: each works and
reads back, and each invalid case gets one typed error with nothing stored."""

from __future__ import annotations

from typing import Any

from settings import Settings
from tests.e2e.client import GraphQL, error_codes, mutate
from tests.stack import Process, stored_events

MISSING = "8b0f3f2e-1111-4222-8333-444455556666"


def build_org(admin: GraphQL) -> str:
    mutate(admin, "registerTeam", teamId="core", name="Core")
    mutate(
        admin,
        "registerPerson",
        personId="maya",
        name="Maya",
        email="maya@example.com",
        teamId="core",
    )
    for person in ("ada", "bob"):
        mutate(
            admin,
            "registerPerson",
            personId=person,
            name=person.title(),
            email=f"{person}@example.com",
            managerId="maya",
            teamId="core",
        )
    return str(
        mutate(admin, "createCycle", name="2027-Q1", startsOn="2027-01-01", endsOn="2027-03-31")[
            "id"
        ]
    )


def test_every_command_works_over_graphql_and_reads_back(
    settings: Settings, pipeline: dict[str, Process]
) -> None:
    admin, maya, ada = (
        GraphQL(settings, "root", ("admin",)),
        GraphQL(settings, "maya"),
        GraphQL(settings, "ada"),
    )
    cycle = build_org(admin)
    mutate(
        admin,
        "updatePerson",
        personId="bob",
        name="Robert",
        email="bob@example.com",
        managerId="maya",
    )
    mutate(admin, "deactivatePerson", personId="bob", reason="left")
    mutate(admin, "updateTeam", teamId="core", name="Core", leadId="maya")
    mutate(admin, "registerTeam", teamId="ops", name="Ops", leadId="maya")
    mutate(admin, "deactivateTeam", teamId="ops", reason="merged")
    top = mutate(maya, "createGoal", title="Top", cycleId=cycle, rollsUp=True)["goalId"]
    goal = mutate(ada, "createGoal", title="Draft", cycleId=cycle)["goalId"]
    mutate(ada, "editGoal", goalId=goal, description="why", visibility="PRIVATE", reason="detail")
    mutate(ada, "changeGoalTitle", goalId=goal, title="Ship", reason="clearer")
    mutate(ada, "alignGoal", goalId=goal, parentId=top, weight=2, reason="supports it")
    mutate(ada, "recordCheckIn", goalId=goal, progress=40, confidence=6, note="started")
    mutate(ada, "proposeGoal", goalId=goal, comment="please")
    mutate(maya, "rejectGoal", goalId=goal, reason="too vague")
    mutate(ada, "proposeGoal", goalId=goal, comment="sharper")
    mutate(maya, "approveGoal", goalId=goal, comment="go")
    mutate(ada, "proposeGoalChange", goalId=goal, title="Ship v2", weight=3, comment="scope grew")
    pending = mutate(maya, "approveGoal", goalId=goal, comment="ok")
    mutate(
        maya, "changeGoalOwner", goalId=goal, ownerKind="TEAM", ownerId="core", reason="team effort"
    )
    mutate(admin, "completeGoal", goalId=goal, reason="shipped")
    mutate(maya, "abandonGoal", goalId=top, reason="strategy changed")
    mutate(admin, "closeCycle", cycleId=cycle, reason="quarter over")
    last = mutate(admin, "reopenCycle", cycleId=cycle, reason="late numbers")

    read = """query($goal: ID!, $cycle: ID!, $consistency: Int) {
      goal(id: $goal, consistency: $consistency) {
        title weight parentId ownerKind ownerId visibility status statusReason
        progress ownProgress pendingChange { title }
        dialogue { kind text changes { title weight } actor } }
      cycle(id: $cycle) { name closed statusReason }
      bob: person(id: "bob") { name active manager { name } }
      ops: team(id: "ops") { name active lead { name } }
      core: team(id: "core") { members { id } }
      me { id roles person { name reports { id } } }
      drafts: goals(filter: {state: ABANDONED, cycle: $cycle}) { edges { node { title } } }
    }"""
    body = maya.post(
        read, {"goal": goal, "cycle": cycle}, **{"X-Momentum-Consistency": str(last["sequence"])}
    )
    assert "errors" not in body.json(), body.json()
    seen = body.json()["data"]
    assert pending["version"] < last["sequence"]
    assert seen["goal"] == {
        "title": "Ship v2",
        "weight": 3.0,
        "parentId": top,
        "ownerKind": "TEAM",
        "ownerId": "core",
        "visibility": "PRIVATE",
        "status": "COMPLETED",
        "statusReason": "shipped",
        "progress": 40.0,
        "ownProgress": 40.0,
        "pendingChange": None,
        "dialogue": [
            {"kind": "PROPOSED", "text": "please", "changes": None, "actor": "ada"},
            {"kind": "REJECTED", "text": "too vague", "changes": None, "actor": "maya"},
            {"kind": "PROPOSED", "text": "sharper", "changes": None, "actor": "ada"},
            {"kind": "APPROVED", "text": "go", "changes": None, "actor": "maya"},
            {
                "kind": "CHANGE_PROPOSED",
                "text": "scope grew",
                "changes": {"title": "Ship v2", "weight": 3.0},
                "actor": "ada",
            },
            {
                "kind": "APPROVED",
                "text": "ok",
                "changes": {"title": "Ship v2", "weight": 3.0},
                "actor": "maya",
            },
            {"kind": "COMPLETED", "text": "shipped", "changes": None, "actor": "root"},
        ],
    }
    assert seen["cycle"] == {"name": "2027-Q1", "closed": False, "statusReason": "late numbers"}
    assert seen["bob"] == {"name": "Robert", "active": False, "manager": {"name": "Maya"}}
    assert seen["ops"] == {"name": "Ops", "active": False, "lead": {"name": "Maya"}}
    assert sorted(m["id"] for m in seen["core"]["members"]) == ["ada", "maya"]
    assert seen["me"] == {
        "id": "maya",
        "roles": [],
        "person": {"name": "Maya", "reports": [{"id": "ada"}, {"id": "bob"}]},
    }
    assert seen["drafts"]["edges"] == [{"node": {"title": "Top"}}]


def test_each_invalid_command_gets_one_typed_error_and_stores_nothing(
    settings: Settings, api: Process
) -> None:
    admin, maya = GraphQL(settings, "root", ("admin",)), GraphQL(settings, "maya")
    ada, bob = GraphQL(settings, "ada"), GraphQL(settings, "bob")
    cycle = build_org(admin)
    other = mutate(admin, "createCycle", name="Q2", startsOn="2027-04-01", endsOn="2027-06-30")[
        "id"
    ]
    closed = mutate(admin, "createCycle", name="Q0", startsOn="2026-10-01", endsOn="2026-12-31")[
        "id"
    ]
    old = mutate(ada, "createGoal", title="Old", cycleId=closed)["goalId"]
    mutate(admin, "closeCycle", cycleId=closed, reason="over")
    goal = mutate(ada, "createGoal", title="Ship", cycleId=cycle)["goalId"]
    milestone = mutate(ada, "addKeyResult", goalId=goal, title="Launch", kind="MILESTONE")[
        "keyResultId"
    ]
    proposed = mutate(ada, "createGoal", title="Proposed", cycleId=cycle)["goalId"]
    mutate(ada, "proposeGoal", goalId=proposed)

    zed = {"personId": "zed", "name": "Zed", "email": "z@x.io"}
    year = {"name": "Q", "startsOn": "2027-01-01", "endsOn": "2027-12-31"}
    cases: list[tuple[GraphQL, str, dict[str, Any], str]] = [
        (ada, "registerPerson", zed, "FORBIDDEN"),
        (admin, "registerPerson", {**zed, "email": "nope"}, "VALIDATION"),
        (admin, "registerPerson", {"personId": "ada", "name": "Ada", "email": "a@x.io"}, "CONFLICT"),
        (admin, "registerPerson", {**zed, "managerId": "ghost"}, "VALIDATION"),
        (admin, "updatePerson", {"personId": "ghost", "name": "G", "email": "g@x.io"}, "NOT_FOUND"),
        (maya, "deactivatePerson", {"personId": "ada"}, "FORBIDDEN"),
        (admin, "registerTeam", {"teamId": "t", "name": " "}, "VALIDATION"),
        (admin, "updateTeam", {"teamId": "core", "name": "Core", "leadId": "ghost"}, "VALIDATION"),
        (admin, "deactivateTeam", {"teamId": "ghost"}, "NOT_FOUND"),
        (admin, "createCycle", {**year, "startsOn": "2027-02-01", "endsOn": "2027-01-01"}, "VALIDATION"),
        (admin, "createCycle", {**year, "startsOn": "2027-13-01"}, "VALIDATION"),
        (ada, "createCycle", year, "FORBIDDEN"),
        (admin, "closeCycle", {"cycleId": MISSING}, "NOT_FOUND"),
        (admin, "closeCycle", {"cycleId": "not-a-uuid"}, "VALIDATION"),
        (admin, "reopenCycle", {"cycleId": cycle, "reason": "why"}, "CONFLICT"),
        (admin, "reopenCycle", {"cycleId": closed, "reason": ""}, "VALIDATION"),
        (ada, "createGoal", {"title": "W", "weight": -1}, "VALIDATION"),
        (ada, "createGoal", {"title": "X", "cycleId": other, "parentId": goal}, "VALIDATION"),
        (ada, "createGoal", {"title": "X", "cycleId": MISSING}, "NOT_FOUND"),
        (ada, "createGoal", {"title": "X", "cycleId": closed}, "CONFLICT"),
        (
            admin,
            "createGoal",
            {"title": "X", "ownerKind": "TEAM", "ownerId": "ghost"},
            "VALIDATION",
        ),
        (ada, "createGoal", {"title": "X", "ownerId": "bob"}, "FORBIDDEN"),
        (bob, "editGoal", {"goalId": goal, "title": "Mine"}, "FORBIDDEN"),
        (ada, "editGoal", {"goalId": goal, "title": ""}, "VALIDATION"),
        (ada, "changeGoalTitle", {"goalId": goal, "title": "  "}, "VALIDATION"),
        (ada, "alignGoal", {"goalId": goal, "parentId": goal}, "VALIDATION"),
        (ada, "alignGoal", {"goalId": goal, "parentId": MISSING}, "NOT_FOUND"),
        (
            ada,
            "changeGoalOwner",
            {"goalId": goal, "ownerKind": "TEAM", "ownerId": "ghost"},
            "VALIDATION",
        ),
        (bob, "proposeGoal", {"goalId": goal}, "FORBIDDEN"),
        (ada, "proposeGoal", {"goalId": proposed}, "CONFLICT"),
        (ada, "approveGoal", {"goalId": proposed}, "FORBIDDEN"),
        (maya, "rejectGoal", {"goalId": proposed, "reason": ""}, "VALIDATION"),
        (maya, "requestGoalChanges", {"goalId": proposed, "comment": " "}, "VALIDATION"),
        (maya, "completeGoal", {"goalId": goal}, "CONFLICT"),
        (bob, "abandonGoal", {"goalId": goal}, "FORBIDDEN"),
        (ada, "proposeGoalChange", {"goalId": goal, "title": "New"}, "CONFLICT"),
        (
            ada,
            "addKeyResult",
            {"goalId": goal, "title": "Up", "kind": "INCREASE_TO", "start": 5, "target": 1},
            "VALIDATION",
        ),
        (ada, "addKeyResult", {"goalId": goal, "title": "Up", "kind": "PERCENT"}, "VALIDATION"),
        (
            ada,
            "reviseKeyResultTarget",
            {"goalId": goal, "keyResultId": "nope", "target": 3, "reason": "r"},
            "NOT_FOUND",
        ),
        (
            ada,
            "reviseKeyResultTarget",
            {"goalId": goal, "keyResultId": milestone, "target": 3, "reason": "r"},
            "VALIDATION",
        ),
        (
            ada,
            "checkInKeyResult",
            {"goalId": goal, "keyResultId": milestone, "value": 0.5},
            "VALIDATION",
        ),
        (
            ada,
            "checkInKeyResult",
            {"goalId": goal, "keyResultId": milestone, "value": 1, "confidence": 11},
            "VALIDATION",
        ),
        (
            bob,
            "checkInKeyResult",
            {"goalId": goal, "keyResultId": milestone, "value": 1},
            "FORBIDDEN",
        ),
        (ada, "recordCheckIn", {"goalId": old, "progress": 10}, "CONFLICT"),
    ]
    for client, command, input, code in cases:
        before = stored_events(settings)
        assert error_codes(client, command, **input) == [code], (command, input)
        assert stored_events(settings) == before, (command, input)
