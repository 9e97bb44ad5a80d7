"""Input valid one value at a time that would break a later stage (numbers whose difference or
ratio is not finite, huge exponents, text PostgreSQL or UTF-8 cannot hold) is refused through
the API with VALIDATION, and nothing is stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from settings import Settings
from tests.e2e.client import GraphQL, build_feedback_org, mutate, mutation
from tests.e2e.conftest import api_with
from tests.stack import stored_events

NUL, SURROGATE = "nul\x00here", "lone\ud800surrogate"
HUGE = "__HUGE__"  # replaced by the bare JSON number 1e400, which Python's json reads as inf


def send(client: GraphQL, command: str, input: dict[str, Any]) -> dict[str, Any]:
    """The body as JSON text with every non-ASCII character escaped, so a lone surrogate
    travels as valid JSON (`\\ud800`) and reaches the server as the character it is."""
    text = json.dumps({"query": mutation(command), "variables": {"input": input}})
    text = text.replace(f'"{HUGE}"', "1e400")
    response = client.http.post(client.url, content=text.encode(), headers={
        "Authorization": f"Bearer {client.token}", "Content-Type": "application/json"})
    assert response.status_code < 500, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture(scope="module")
def settings_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """One API (the write side is enough: nothing may be stored) for the whole module."""
    with api_with(Path(tmp_path_factory.mktemp("api"))) as (settings, _):
        yield settings


@pytest.fixture(scope="module")
def world(settings_module: Settings) -> dict[str, Any]:
    admin, ada, bob = (GraphQL(settings_module, "root", ("admin",)), GraphQL(settings_module, "ada"),
                       GraphQL(settings_module, "bob"))
    build_feedback_org(admin)
    goal = mutate(ada, "createGoal", title="Ship")["goalId"]
    kr = mutate(ada, "addKeyResult", goalId=goal, title="Users", kind="INCREASE_TO", start=0, target=10)
    request = mutate(bob, "requestFeedback", respondentIds=["ada"], question="How did I do?")["id"]
    return {"admin": admin, "ada": ada, "goal": goal, "request": request, "kr": kr["keyResultId"]}


def cases(bad: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(who, mutation, input) for every free-text field of the goal, feedback, kudos and directory
    mutations, with `bad` in it; `{goal}` and `{request}` are filled in from the world."""
    return [
        ("ada", "createGoal", {"title": bad}),
        ("ada", "createGoal", {"title": "ok", "description": bad}),
        ("ada", "editGoal", {"goalId": "{goal}", "title": bad}),
        ("ada", "editGoal", {"goalId": "{goal}", "description": bad}),
        ("ada", "editGoal", {"goalId": "{goal}", "description": "new", "reason": bad}),
        ("ada", "changeGoalTitle", {"goalId": "{goal}", "title": bad}),
        ("ada", "proposeGoal", {"goalId": "{goal}", "comment": bad}),
        ("ada", "abandonGoal", {"goalId": "{goal}", "reason": bad}),
        ("ada", "addKeyResult", {"goalId": "{goal}", "title": bad, "kind": "INCREASE_TO"}),
        ("ada", "addKeyResult", {"goalId": "{goal}", "title": "t", "kind": "INCREASE_TO", "unit": bad}),
        ("ada", "checkInKeyResult", {"goalId": "{goal}", "keyResultId": "{kr}", "value": 1, "note": bad}),
        ("ada", "checkInKeyResult", {"goalId": "{goal}", "keyResultId": "{kr}", "value": 1, "blockers": bad}),
        ("ada", "reviseKeyResultTarget", {"goalId": "{goal}", "keyResultId": "{kr}", "target": 20, "reason": bad}),
        ("ada", "recordCheckIn", {"goalId": "{goal}", "progress": 5, "note": bad}),
        ("ada", "recordCheckIn", {"goalId": "{goal}", "progress": 5, "blockers": bad}),
        ("ada", "giveFeedback", {"recipientId": "bob", "kind": "PRAISE", "visibility": "PUBLIC", "text": bad}),
        ("ada", "requestFeedback", {"respondentIds": ["bob"], "question": bad}),
        ("ada", "declineFeedbackRequest", {"requestId": "{request}", "reason": bad}),
        ("ada", "giveKudos", {"recipientIds": ["bob"], "valueId": "ownership", "points": 1, "message": bad}),
        ("admin", "defineCompanyValue", {"valueId": bad, "name": "Care"}),
        ("admin", "defineCompanyValue", {"valueId": "care", "name": bad}),
        ("admin", "defineCompanyValue", {"valueId": "care", "name": "Care", "description": bad}),
        ("admin", "registerPerson", {"personId": bad, "name": "Zed", "email": "zed@example.com"}),
        ("admin", "registerPerson", {"personId": "zed", "name": bad, "email": "zed@example.com"}),
        ("admin", "registerPerson", {"personId": "zed", "name": "Zed", "email": f"{bad}@example.com"}),
        ("admin", "updatePerson", {"personId": "ada", "name": bad, "email": "ada@example.com"}),
        ("admin", "registerTeam", {"teamId": bad, "name": "Ops"}),
        ("admin", "registerTeam", {"teamId": "ops", "name": bad}),
        ("admin", "deactivatePerson", {"personId": "eve", "reason": bad}),
        ("admin", "createCycle", {"name": bad, "startsOn": "2027-01-01", "endsOn": "2027-03-31"}),
    ]


NUMBERS: list[tuple[str, dict[str, Any]]] = [
    ("addKeyResult", {"goalId": "{goal}", "title": "t", "kind": "INCREASE_TO", "start": -1e308, "target": 1e308}),
    ("addKeyResult", {"goalId": "{goal}", "title": "t", "kind": "INCREASE_TO", "start": 0, "target": 1e16}),
    ("addKeyResult", {"goalId": "{goal}", "title": "t", "kind": "INCREASE_TO", "start": 0, "target": HUGE}),
    ("addKeyResult", {"goalId": "{goal}", "title": "t", "kind": "INCREASE_TO", "start": 0, "target": 1,
                      "weight": HUGE}),
    ("checkInKeyResult", {"goalId": "{goal}", "keyResultId": "{kr}", "value": 1e300}),
    ("checkInKeyResult", {"goalId": "{goal}", "keyResultId": "{kr}", "value": HUGE}),
    ("reviseKeyResultTarget", {"goalId": "{goal}", "keyResultId": "{kr}", "target": 1e200, "reason": "r"}),
    ("recordCheckIn", {"goalId": "{goal}", "progress": HUGE}),
    ("createGoal", {"title": "t", "weight": 1e300}),
]


def filled(world: dict[str, Any], input: dict[str, Any]) -> dict[str, Any]:
    return {k: v.format(**world) if isinstance(v, str) and v.startswith("{") else v for k, v in input.items()}


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["NUL", "lone surrogate"])
def test_text_that_cannot_be_stored_is_refused_in_every_field(
    world: dict[str, Any], settings_module: Settings, bad: str
) -> None:
    before = stored_events(settings_module)
    for who, command, input in cases(bad):
        body = send(world[who], command, filled(world, input))
        codes = [e["extensions"]["code"] for e in body.get("errors", [])]
        assert codes == ["VALIDATION"], (command, input, body)
    assert stored_events(settings_module) == before


@pytest.mark.parametrize(("command", "input"), NUMBERS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(NUMBERS)])
def test_numbers_out_of_bounds_are_refused(
    world: dict[str, Any], settings_module: Settings, command: str, input: dict[str, Any]
) -> None:
    before = stored_events(settings_module)
    body = send(world["ada"], command, filled(world, input))
    assert [e["extensions"]["code"] for e in body.get("errors", [])] == ["VALIDATION"], body
    assert stored_events(settings_module) == before


def test_numbers_at_the_bounds_are_stored(world: dict[str, Any]) -> None:
    goal = world["goal"]
    kr = mutate(world["ada"], "addKeyResult", goalId=goal, title="Wide", kind="INCREASE_TO", start=-1e15,
                target=1e15)["keyResultId"]
    mutate(world["ada"], "checkInKeyResult", goalId=goal, keyResultId=kr, value=1e15)
