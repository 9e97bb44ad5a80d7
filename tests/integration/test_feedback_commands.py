"""Feedback and feedback requests on the real event store: direction from the org chart,
acknowledgement, answers and declines, and every refusal storing nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from application.identity import Actor
from application.momentum import Momentum
from domain.errors import DomainError
from tests.integration.org import ADA, ADMIN, BOB, EVE, MAYA, build_org, stored_count


@pytest.fixture
def org(momentum: Momentum) -> str:
    return build_org(momentum)


def refused(app: Momentum, code: str, command: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    before = stored_count(app)
    with pytest.raises(DomainError) as error:
        command(*args, **kwargs)
    assert error.value.code == code, error.value
    assert stored_count(app) == before
    return error.value.message


def give(app: Momentum, author: Actor, recipient: str, **fields: Any) -> str:
    values = {"kind": "praise", "visibility": "public", "text": "well done", **fields}
    return str(app.feedback.give_feedback(author, recipient_id=recipient, **values).aggregate_id)


def given(app: Momentum, feedback_id: str) -> Any:
    """The Given event as stored."""
    return next(iter(app.repository.event_store.get(app.feedback.get_feedback(feedback_id).id)))


def test_direction_follows_the_org_chart_at_the_moment_feedback_is_given(momentum: Momentum, org: str) -> None:
    pairs = ((MAYA, "ada"), (ADA, "maya"), (ADA, "bob"), (ADMIN, "ada"))
    assert [given(momentum, give(momentum, a, r)).direction for a, r in pairs] == [
        "downward", "upward", "peer", "peer"
    ]
    upward = give(momentum, ADA, "maya")
    momentum.directory.update_person(
        ADMIN, "ada", name="Ada", email="ada@example.com", manager_id="eve", team_id="core"
    )
    assert given(momentum, give(momentum, ADA, "maya")).direction == "peer"
    assert given(momentum, upward).direction == "upward"


def test_the_recipient_acknowledges_once_and_no_one_else_can(momentum: Momentum, org: str) -> None:
    feedback = give(momentum, ADA, "bob", visibility="private", text="a secret remark")
    message = refused(momentum, "NOT_FOUND", momentum.feedback.acknowledge_feedback, EVE, feedback)  # may not see it
    assert "secret" not in message
    refused(momentum, "FORBIDDEN", momentum.feedback.acknowledge_feedback, ADA, feedback)  # the author sees it
    refused(momentum, "NOT_FOUND", momentum.feedback.acknowledge_feedback, ADMIN, feedback)
    momentum.feedback.acknowledge_feedback(BOB, feedback)
    refused(momentum, "CONFLICT", momentum.feedback.acknowledge_feedback, BOB, feedback)
    refused(momentum, "NOT_FOUND", momentum.feedback.acknowledge_feedback, BOB, "00000000-0000-0000-0000-000000000000")


def test_invalid_feedback_is_refused_with_nothing_stored(momentum: Momentum, org: str) -> None:
    for code, fields in [
        ("VALIDATION", {"recipient_id": "ada"}),
        ("VALIDATION", {"recipient_id": "nobody"}),
        ("VALIDATION", {"kind": "rant"}),
        ("VALIDATION", {"visibility": "team"}),
        ("VALIDATION", {"text": "   "}),
        ("VALIDATION", {"text": "x" * 5001}),
        ("VALIDATION", {"goal_id": "not-a-uuid"}),
        ("NOT_FOUND", {"goal_id": "00000000-0000-0000-0000-000000000000"}),
        ("VALIDATION", {"request_id": "not-a-uuid"}),
    ]:
        values = {"recipient_id": "bob", "kind": "note", "visibility": "public", "text": "ok", **fields}
        refused(momentum, code, momentum.feedback.give_feedback, ADA, **values)
    momentum.directory.deactivate_person(ADMIN, "eve")
    refused(momentum, "VALIDATION", momentum.feedback.give_feedback, ADA, recipient_id="eve", kind="note",
            visibility="public", text="ok")


def test_each_person_asked_answers_once_or_declines(momentum: Momentum, org: str) -> None:
    goal = str(momentum.goals.create_goal(BOB, title="Ship it", cycle_id=org).aggregate_id)
    request = str(
        momentum.feedback.request_feedback(BOB, respondent_ids=["ada", "maya"], question="How did I do?", goal_id=goal)
        .aggregate_id
    )
    answer = give(momentum, ADA, "bob", request_id=request, visibility="private")
    event = given(momentum, answer)
    assert (event.request_id, event.goal_id) == (request, goal)
    assert momentum.feedback.get_feedback_request(request).status == {"ada": "answered", "maya": "pending"}
    refused(momentum, "CONFLICT", momentum.feedback.give_feedback, ADA, recipient_id="bob", kind="note",
            visibility="public", text="again", request_id=request)
    refused(momentum, "CONFLICT", momentum.feedback.decline_feedback_request, ADA, request)
    refused(momentum, "NOT_FOUND", momentum.feedback.give_feedback, EVE, recipient_id="bob", kind="note",
            visibility="public", text="not asked", request_id=request)
    refused(momentum, "VALIDATION", momentum.feedback.give_feedback, MAYA, recipient_id="ada", kind="note",
            visibility="public", text="wrong person", request_id=request)
    refused(momentum, "NOT_FOUND", momentum.feedback.decline_feedback_request, EVE, request)
    momentum.feedback.decline_feedback_request(MAYA, request, "too busy")
    assert momentum.feedback.get_feedback_request(request).status == {"ada": "answered", "maya": "declined"}
    refused(momentum, "CONFLICT", momentum.feedback.give_feedback, MAYA, recipient_id="bob", kind="note",
            visibility="public", text="late", request_id=request)


def test_invalid_requests_are_refused_with_nothing_stored(momentum: Momentum, org: str) -> None:
    for code, fields in [
        ("VALIDATION", {"respondent_ids": []}),
        ("VALIDATION", {"respondent_ids": ["bob"]}),
        ("VALIDATION", {"respondent_ids": ["ada", "ada"]}),
        ("VALIDATION", {"respondent_ids": ["nobody"]}),
        ("VALIDATION", {"respondent_ids": [f"p{i}" for i in range(21)]}),
        ("VALIDATION", {"question": ""}),
        ("NOT_FOUND", {"goal_id": "00000000-0000-0000-0000-000000000000"}),
    ]:
        values = {"respondent_ids": ["ada"], "question": "Thoughts?", **fields}
        refused(momentum, code, momentum.feedback.request_feedback, BOB, **values)
