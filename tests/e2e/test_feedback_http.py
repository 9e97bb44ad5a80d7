"""Feedback, requests, kudos and gamification over HTTP on the real stack (API, relay,
projector, awarder on PostgreSQL and Kafka): each mutation reads back through its
consistency token, each refusal has its code, and awards reach the topic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from settings import Settings
from tests.e2e.client import GraphQL, build_feedback_org, error_codes, mutate
from tests.stack import Process, read_topic, wait_until

FEEDBACK = "{ id text visibility direction kind acknowledgedAt requestId goalId }"


def test_feedback_requests_kudos_and_awards_round_trip(pipeline: Any, settings: Settings, log_dir: Path) -> None:
    admin = GraphQL(settings, "root", ("admin",))
    ada, bob, maya, eve = (GraphQL(settings, p) for p in ("ada", "bob", "maya", "eve"))
    build_feedback_org(admin)
    goal = bob.create_goal("Bob's public goal")["goalId"]
    bob.check_in(goal, 10)
    request = mutate(bob, "requestFeedback", respondentIds=["ada"], question="How?",
                   goalId=goal)["id"]
    answer = mutate(ada, "giveFeedback", recipientId="bob", kind="CONSTRUCTIVE",
                  visibility="MANAGER", text="fewer meetings", requestId=request)
    about = f"query($g: ID!, $c: Int) {{ feedbackAbout(goalId: $g, consistency: $c) {FEEDBACK} }}"
    seen = maya.data(about, {"g": goal, "c": answer["sequence"]})["feedbackAbout"]
    assert [(f["text"], f["direction"], f["requestId"], f["goalId"]) for f in seen] == [
        ("fewer meetings", "PEER", request, goal)
    ]
    assert eve.data(about, {"g": goal, "c": answer["sequence"]})["feedbackAbout"] == []
    assert error_codes(eve, "acknowledgeFeedback", feedbackId=answer["id"]) == ["NOT_FOUND"]  # may not see it
    acknowledged = mutate(bob, "acknowledgeFeedback", feedbackId=answer["id"])
    inbox = bob.data(f"query($c: Int) {{ feedbackInbox(consistency: $c) {FEEDBACK} }}", {"c": acknowledged["sequence"]})
    assert inbox["feedbackInbox"][0]["acknowledgedAt"] is not None
    paged = bob.data(
        f"query($c: Int) {{ feedbackInboxConnection(consistency: $c) {{ edges {{ node {FEEDBACK} }} "
        "pageInfo { hasPreviousPage hasNextPage } } }",
        {"c": acknowledged["sequence"]},
    )["feedbackInboxConnection"]
    assert [e["node"] for e in paged["edges"]] == inbox["feedbackInbox"]
    assert paged["pageInfo"] == {"hasPreviousPage": False, "hasNextPage": False}
    assert error_codes(ada, "declineFeedbackRequest", requestId=request) == ["CONFLICT"]

    kudos = mutate(ada, "giveKudos", recipientIds=["bob", "maya"], valueId="ownership", points=20,
                 message="shipped it")
    feed = ada.data(
        "query($c: Int) { kudos(consistency: $c) { id points recipientIds valueName } "
        "myAllowance(consistency: $c) { allowance spent remaining } }",
        {"c": kudos["sequence"]},
    )
    assert feed["kudos"] == [
        {"id": kudos["id"], "points": 20, "recipientIds": ["bob", "maya"], "valueName": "Ownership"}
    ]
    assert feed["myAllowance"] == {"allowance": 100, "spent": 40, "remaining": 60}
    for code, fields in (
        ("VALIDATION", {"recipientIds": ["ada"], "points": 5}),
        ("VALIDATION", {"recipientIds": ["bob"], "points": 5, "valueId": "speed"}),
        ("VALIDATION", {"recipientIds": ["bob"], "points": 51}),
        ("CONFLICT", {"recipientIds": ["bob"], "points": 31}),
        ("CONFLICT", {"recipientIds": ["eve", "bob", "maya"], "points": 21}),
    ):
        input = {"valueId": "ownership", "message": "again", **fields}
        assert error_codes(ada, "giveKudos", **input) == [code], fields
    assert error_codes(bob, "defineCompanyValue", valueId="x", name="X") == ["FORBIDDEN"]

    standing = bob.data(
        'query($c: Int) { person(id: "bob", consistency: $c) { points level { number } badges { id } } '
        "leaderboard(first: 3) { rank personId points } }",
        {"c": kudos["sequence"]},
    )
    assert standing["person"] == {"points": 25, "level": {"number": 1}, "badges": [{"id": "first-check-in"}]}
    assert standing["leaderboard"][0] == {"rank": 1, "personId": "bob", "points": 25}

    with_awarder = Process("awarder", settings, log_dir).start()
    try:
        wait_until(lambda: _awarded(settings, "first-check-in"), 60, lambda: with_awarder.log())
    finally:
        with_awarder.stop()


def _awarded(settings: Settings, badge: str) -> bool:
    return any(
        e["type"] == "momentum.achievements.BadgeAwarded.v1" and e["data"]["badge"] == badge
        for e in read_topic(settings)
    )
