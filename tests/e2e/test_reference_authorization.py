"""Over HTTP: a command naming an aggregate the caller may not see gets exactly the error it
gets for an id that does not exist (same status, same JSON error but for the id), and
stores nothing."""

from __future__ import annotations

import json
from typing import Any

from settings import Settings
from tests.e2e.client import GraphQL, build_feedback_org, mutate, mutation
from tests.stack import Process, stored_events

MISSING = "0b6a3c1d-2e4f-4a5b-8c6d-7e8f9a0b1c2d"


def full_error(settings: Settings, client: GraphQL, command: str, reference: str, input: dict[str, Any]) -> str:
    """The HTTP status and the whole JSON body, with `reference` written as <id>; asserts nothing was stored."""
    before = stored_events(settings)
    response = client.post(mutation(command), {"input": json.loads(json.dumps(input).replace("<id>", reference))})
    assert stored_events(settings) == before, (command, reference)
    return f"{response.status_code} {response.text.replace(reference, '<id>')}"


def test_an_invisible_reference_answers_exactly_like_a_missing_one(api: Process, settings: Settings) -> None:
    admin = GraphQL(settings, "root", ("admin",))
    ada, eve = GraphQL(settings, "ada"), GraphQL(settings, "eve")
    build_feedback_org(admin)
    mutate(admin, "registerTeam", teamId="ops", name="Ops")
    mutate(admin, "updatePerson", personId="eve", name="Eve", email="eve@example.com", teamId="ops")
    private = ada.create_goal("Ada's private roll-up", visibility="PRIVATE", rollsUp=True)["goalId"]
    team = ada.create_goal("Core's goal", visibility="TEAM")["goalId"]
    request = mutate(ada, "requestFeedback", respondentIds=["bob"], question="How?")["id"]
    feedback = mutate(ada, "giveFeedback", recipientId="bob", kind="NOTE", visibility="PRIVATE", text="x")["id"]
    cases = [
        ("createGoal", {"title": "Under it", "parentId": "<id>"}, (private, team)),
        ("alignGoal", {"goalId": eve.create_goal("Eve's")["goalId"], "parentId": "<id>"}, (private, team)),
        ("recordCheckIn", {"goalId": "<id>", "progress": 50}, (private, team)),
        ("giveFeedback", {"recipientId": "ada", "kind": "NOTE", "visibility": "PUBLIC", "text": "hi",
                          "goalId": "<id>"}, (private, team)),
        ("requestFeedback", {"respondentIds": ["ada"], "question": "?", "goalId": "<id>"}, (private, team)),
        ("declineFeedbackRequest", {"requestId": "<id>"}, (request,)),
        ("acknowledgeFeedback", {"feedbackId": "<id>"}, (feedback,)),
    ]
    for command, input, hidden in cases:
        missing = full_error(settings, eve, command, MISSING, input)
        assert '"code":"NOT_FOUND"' in missing, missing
        for reference in hidden:
            assert full_error(settings, eve, command, reference, input) == missing, (command, reference)
    mutate(GraphQL(settings, "bob"), "createGoal", title="Same team", parentId=team)


AUDIT_READS = {
    "goalTimeline": "query($id: ID!) { goalTimeline(goalId: $id, first: 5) { edges { cursor } } }",
    "goalAsOf": "query($id: ID!) { goalAsOf(goalId: $id, version: 1) { title } }",
}


def test_the_history_of_an_invisible_goal_answers_exactly_like_a_missing_one(
    pipeline: dict[str, Process], settings: Settings
) -> None:
    admin = GraphQL(settings, "root", ("admin",))
    ada, bob = GraphQL(settings, "ada"), GraphQL(settings, "bob")
    build_feedback_org(admin)
    private = ada.create_goal("Ada's private plan", visibility="PRIVATE")
    public = ada.create_goal("Ada's public plan")
    read_all = str(max(private["sequence"], public["sequence"]))

    def answer(client: GraphQL, query: str, goal: str) -> str:
        response = client.post(query, {"id": goal}, **{"X-Momentum-Consistency": read_all})
        return f"{response.status_code} {response.text.replace(goal, '<id>')}"

    for name, query in AUDIT_READS.items():
        missing = answer(bob, query, MISSING)
        assert '"code":"NOT_FOUND"' in missing, (name, missing)
        assert answer(bob, query, private["goalId"]) == missing, name
        assert '"code":"FORBIDDEN"' in answer(bob, query, public["goalId"]), name  # visible, not bob's
        assert '"errors"' not in answer(ada, query, private["goalId"]), name
