"""The privacy matrix: every role × every visibility × every read path. Private feedback is
seen by its author and recipient only (admins included in "no one else"), "manager" feedback
also by the recipient's manager at the time it was given, public feedback by everyone."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import psycopg
import pytest

from application.momentum import Momentum
from projections.feedback.queries import kudos_after, news_for
from projections.feedback.visibility import concerns, may_see_feedback
from settings import Settings
from tests.integration.org import ADA, ADMIN, BOB, EVE, MAYA, build_org
from tests.integration.readside import envelopes, project, query

ROLES = {"author": ADA, "recipient": BOB, "manager": MAYA, "other": EVE, "admin": ADMIN}
SEES = {
    "private": {"author", "recipient"},
    "manager": {"author", "recipient", "manager"},
    "public": {"author", "recipient", "manager", "other", "admin"},
}
FEEDBACK = "{ id text visibility }"
PATHS = {
    "feedbackInbox": f"{{ feedbackInbox(first: 100) {FEEDBACK} }}",
    "feedbackSent": f"{{ feedbackSent(first: 100) {FEEDBACK} }}",
    "feedbackAbout": f"query($goal: ID!) {{ feedbackAbout(goalId: $goal, first: 100) {FEEDBACK} }}",
    "goal.feedback": f"query($goal: ID!) {{ goal(id: $goal) {{ feedback(first: 100) {FEEDBACK} }} }}",
    "feedbackRequests.answers": f"{{ feedbackRequests(first: 100) {{ answers {FEEDBACK} }} }}",
    "sentRequests.answers": f"{{ feedbackRequests(sent: true, first: 100) {{ answers {FEEDBACK} }} }}",
    "feedbackInboxConnection": f"{{ feedbackInboxConnection(first: 100) {{ edges {{ node {FEEDBACK} }} }} }}",
    "feedbackSentConnection": f"{{ feedbackSentConnection(first: 100) {{ edges {{ node {FEEDBACK} }} }} }}",
    "feedbackAboutConnection": "query($goal: ID!) { feedbackAboutConnection(goalId: $goal, first: 100) "
    f"{{ edges {{ node {FEEDBACK} }} }} }}",
    "requestsConnection.answers": "{ feedbackRequestsConnection(first: 100) "
    f"{{ edges {{ node {{ answers {FEEDBACK} }} }} }} }}",
    "sentRequestsConnection.answers": "{ feedbackRequestsConnection(sent: true, first: 100) "
    f"{{ edges {{ node {{ answers {FEEDBACK} }} }} }} }}",
}
# Where a path lists feedback at all, for a role (visibility still applies on top).
PATH_ROLES = {
    "feedbackInbox": {"recipient"},
    "feedbackSent": {"author"},
    "feedbackAbout": set(ROLES),
    "goal.feedback": set(ROLES),
    "feedbackRequests.answers": {"author"},
    "sentRequests.answers": {"recipient"},
    "feedbackInboxConnection": {"recipient"},
    "feedbackSentConnection": {"author"},
    "feedbackAboutConnection": set(ROLES),
    "requestsConnection.answers": {"author"},
    "sentRequestsConnection.answers": {"recipient"},
}


@pytest.fixture
def world(momentum: Momentum, settings: Settings) -> dict[str, Any]:
    """ada answers three of bob's requests about bob's public goal, once per visibility."""
    cycle = build_org(momentum)
    goal = str(momentum.goals.create_goal(BOB, title="Bob's goal", cycle_id=cycle).aggregate_id)
    texts = {}
    for visibility in SEES:
        request = momentum.feedback.request_feedback(
            BOB, respondent_ids=["ada"], question=f"{visibility}?", goal_id=goal
        )
        texts[visibility] = f"secret-{visibility}-text"
        momentum.feedback.give_feedback(
            ADA,
            recipient_id="bob",
            kind="constructive",
            visibility=visibility,
            text=texts[visibility],
            request_id=str(request.aggregate_id),
        )
    project(settings, envelopes(momentum, settings))
    return {"goal": goal, "texts": texts}


def test_every_role_sees_exactly_what_each_visibility_allows_on_every_path(
    momentum: Momentum, settings: Settings, world: dict[str, Any]
) -> None:
    for role, actor in ROLES.items():
        for path, operation in PATHS.items():
            result = query(settings, momentum, operation, actor, goal=world["goal"])
            assert result.errors is None, (role, path, result.errors)
            dump = json.dumps(result.data)
            for visibility, text in world["texts"].items():
                expected = role in SEES[visibility] and role in PATH_ROLES[path]
                assert (text in dump) == expected, (role, path, visibility)


def test_manager_visibility_stays_with_the_manager_at_the_time_it_was_given(
    momentum: Momentum, settings: Settings, world: dict[str, Any]
) -> None:
    momentum.directory.update_person(
        ADMIN, "bob", name="Bob", email="bob@example.com", manager_id="eve", team_id="core"
    )
    project(settings, envelopes(momentum, settings))
    about = PATHS["feedbackAbout"]
    maya = json.dumps(query(settings, momentum, about, MAYA, goal=world["goal"]).data)
    eve = json.dumps(query(settings, momentum, about, EVE, goal=world["goal"]).data)
    assert world["texts"]["manager"] in maya and world["texts"]["manager"] not in eve


def test_refusals_never_quote_feedback(momentum: Momentum, settings: Settings, world: dict[str, Any]) -> None:
    inbox = query(settings, momentum, PATHS["feedbackInbox"], BOB).data["feedbackInbox"]
    mutation = "mutation($id: ID!) { acknowledgeFeedback(input: {feedbackId: $id}) { id } }"
    assert len(inbox) == len(SEES)
    for item in inbox:
        for role in ("author", "manager", "other", "admin"):
            result = query(settings, momentum, mutation, ROLES[role], id=item["id"])
            expected = "FORBIDDEN" if role in SEES[item["visibility"].lower()] else "NOT_FOUND"  # unseen: as if missing
            assert [e.extensions["code"] for e in result.errors] == [expected], (role, item["visibility"])
            assert not any(text in result.errors[0].message for text in world["texts"].values())


def test_requests_show_their_respondents_to_the_requester_only(
    momentum: Momentum, settings: Settings, world: dict[str, Any]
) -> None:
    momentum.feedback.request_feedback(BOB, respondent_ids=["ada", "eve"], question="Both of you?")
    project(settings, envelopes(momentum, settings))
    requests = "query($sent: Boolean!) { feedbackRequests(sent: $sent) { question respondents { personId status } } }"
    mine = query(settings, momentum, requests, BOB, sent=True).data["feedbackRequests"][0]
    asked = query(settings, momentum, requests, EVE, sent=False).data["feedbackRequests"]
    assert [r["personId"] for r in mine["respondents"]] == ["ada", "eve"]
    assert [[r["personId"] for r in q["respondents"]] for q in asked] == [["eve"]]
    assert query(settings, momentum, requests, MAYA, sent=False).data["feedbackRequests"] == []


def test_subscription_news_hold_only_what_concerns_the_subscriber(
    momentum: Momentum, settings: Settings, world: dict[str, Any]
) -> None:
    async def news(viewer: str) -> list[Any]:
        async with await psycopg.AsyncConnection.connect(settings.database_url) as conn:
            return await news_for(conn, viewer, 0, sys.maxsize)

    bob, ada, eve = (asyncio.run(news(p)) for p in ("bob", "ada", "eve"))
    assert [r["item"] for r in bob] == ["feedback"] * 3 and [r["item"] for r in ada] == ["request"] * 3
    assert eve == []
    assert all(concerns(p, r) and (r["item"] == "request" or may_see_feedback(p, r)) for p, rows in
               (("bob", bob), ("ada", ada)) for r in rows)
    assert not any(concerns("maya", r) for r in bob + ada)

    async def feed() -> list[Any]:
        async with await psycopg.AsyncConnection.connect(settings.database_url) as conn:
            return await kudos_after(conn, 0, sys.maxsize)

    assert asyncio.run(feed()) == []


def test_feedback_about_a_goal_one_may_not_see_is_not_listed(
    momentum: Momentum, settings: Settings, world: dict[str, Any]
) -> None:
    goal = str(momentum.goals.create_goal(ADA, title="Ada's private goal", visibility="private").aggregate_id)
    momentum.feedback.give_feedback(  # her manager may see the goal, so may give feedback about it
        MAYA, recipient_id="ada", kind="note", visibility="public", text="about-private", goal_id=goal
    )
    project(settings, envelopes(momentum, settings))
    # a goal's feedback list is gated by the goal's visibility
    for actor, expected in ((ADA, True), (BOB, False), (EVE, False), (MAYA, True)):
        found = json.dumps(query(settings, momentum, PATHS["feedbackAbout"], actor, goal=goal).data)
        assert ("about-private" in found) == expected, actor


def test_team_engagement_counts_only_the_feedback_and_requests_each_role_may_see(
    momentum: Momentum, settings: Settings, world: dict[str, Any]
) -> None:
    operation = """{ teamEngagement(teamId: "core") { members { personId feedbackGiven { total }
      feedbackReceived { total } requestsAnswered { total } feedbackRequested } } }"""
    for role, actor in ROLES.items():
        result = query(settings, momentum, operation, actor)
        assert result.errors is None, (role, result.errors)
        members = {m["personId"]: m for m in result.data["teamEngagement"]["members"]}
        seen = sum(role in roles for roles in SEES.values())
        assert members["ada"]["feedbackGiven"]["total"] == seen, role
        assert members["ada"]["requestsAnswered"]["total"] == seen, role
        assert members["bob"]["feedbackReceived"]["total"] == seen, role
        assert members["bob"]["feedbackRequested"] == (3 if role in ("author", "recipient") else 0), role
