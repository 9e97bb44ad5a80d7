"""Every list that pages is a Relay cursor connection: paged through, it holds exactly the items
of the deprecated list it replaces, and its PageInfo says truthfully what lies before and after."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from application.identity import Actor
from application.momentum import Momentum
from settings import Settings
from tests.integration.org import ADA, ADMIN, BOB, MAYA, build_org
from tests.integration.readside import envelopes, project, query

PAGE = "pageInfo { hasPreviousPage hasNextPage startCursor endCursor } edges { cursor node { id } }"
# connection field → (the deprecated list it replaces, arguments both take, who reads it)
CONNECTIONS: dict[str, tuple[str, str, Actor]] = {
    "feedbackInboxConnection": ("feedbackInbox", "", BOB),
    "feedbackSentConnection": ("feedbackSent", "", ADA),
    "feedbackAboutConnection": ("feedbackAbout", "goalId: $goal", MAYA),
    "feedbackRequestsConnection": ("feedbackRequests", "sent: true", BOB),
    "kudosConnection": ("kudos", "personId: \"bob\"", MAYA),
}


@pytest.fixture
def world(momentum: Momentum, settings: Settings) -> dict[str, Any]:
    """Five of each: feedback from ada to bob about bob's goal, requests by bob, kudos to bob."""
    build_org(momentum)
    goal = str(momentum.goals.create_goal(BOB, title="Bob's goal").aggregate_id)
    momentum.recognition.define_value(ADMIN, value_id="candour", name="Candour")
    for n in range(5):
        visibility = "manager" if n % 2 else "public"
        momentum.feedback.give_feedback(
            ADA, recipient_id="bob", kind="note", visibility=visibility, text=f"n{n}", goal_id=goal
        )
        momentum.feedback.request_feedback(BOB, respondent_ids=["ada"], question=f"q{n}")
        momentum.recognition.give_kudos(ADA, recipient_ids=["bob"], value_id="candour", points=1, message=f"k{n}")
    project(settings, envelopes(momentum, settings))
    return {"goal": goal}


def ask(settings: Settings, momentum: Momentum, actor: Actor, text: str, **variables: Any) -> Any:
    result = query(settings, momentum, text, actor, **variables)
    assert result.errors is None, result.errors
    return result.data


def operation(field: str, arguments: str, selection: str, **more: str) -> str:
    """A query of `field` with `arguments` and `more` (name → value), declaring the variables it uses."""
    given = ", ".join([arguments] * bool(arguments) + [f"{k}: {v}" for k, v in more.items()])
    used = [v for v in ("$goal: ID!", "$after: String") if v.split(":")[0] in given]
    declared = f"({', '.join(used)})" if used else ""
    return f"query{declared} {{ {field}({given}) {{ {selection} }} }}"


def walk(settings: Settings, momentum: Momentum, field: str, world: dict[str, Any], size: int) -> list[dict[str, Any]]:
    """Every page of `field`, `size` edges at a time, following endCursor."""
    _, arguments, actor = CONNECTIONS[field]
    pages, after = [], None
    while True:
        text = operation(field, arguments, PAGE, first=str(size), after="$after")
        page = ask(settings, momentum, actor, text, goal=world["goal"], after=after)[field]
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize("field", sorted(CONNECTIONS))
def test_each_connection_pages_through_exactly_the_items_of_the_list_it_replaces(
    momentum: Momentum, settings: Settings, world: dict[str, Any], field: str
) -> None:
    old, arguments, actor = CONNECTIONS[field]
    listed = ask(settings, momentum, actor, operation(old, arguments, "id", first="100"), goal=world["goal"])[old]
    pages = walk(settings, momentum, field, world, size=2)
    assert [e["node"] for p in pages for e in p["edges"]] == listed and len(listed) == 5
    assert [len(p["edges"]) for p in pages] == [2, 2, 1]
    assert [p["pageInfo"]["hasPreviousPage"] for p in pages] == [False, True, True]
    for page in pages:
        cursors = [e["cursor"] for e in page["edges"]]
        assert (page["pageInfo"]["startCursor"], page["pageInfo"]["endCursor"]) == (cursors[0], cursors[-1])


def test_a_page_that_ends_the_list_exactly_has_no_next_page_and_an_empty_page_no_cursors(
    momentum: Momentum, settings: Settings, world: dict[str, Any]
) -> None:
    pages = walk(settings, momentum, "kudosConnection", world, size=5)
    assert len(pages) == 1 and pages[0]["pageInfo"]["hasNextPage"] is False
    last = pages[0]["pageInfo"]["endCursor"]
    after_last = ask(settings, momentum, MAYA, operation("kudosConnection", "", PAGE, after="$after"), after=last)
    assert after_last["kudosConnection"] == {
        "edges": [],
        "pageInfo": {"hasPreviousPage": True, "hasNextPage": False, "startCursor": None, "endCursor": None},
    }


def test_has_previous_page_is_false_when_the_after_edge_has_left_the_list_with_nothing_before_it(
    momentum: Momentum, settings: Settings
) -> None:
    build_org(momentum)
    goals = [str(momentum.goals.create_goal(ADA, title=f"g{n}").aggregate_id) for n in range(3)]
    project(settings, envelopes(momentum, settings))
    drafts = f"query($after: String) {{ goals(filter: {{state: DRAFT}}, first: 1, after: $after) {{ {PAGE} }} }}"
    first = ask(settings, momentum, ADA, drafts)["goals"]
    assert [e["node"]["id"] for e in first["edges"]] == goals[:1]
    momentum.goals.propose_goal(ADA, goals[0])  # the first draft is a draft no more
    project(settings, envelopes(momentum, settings))
    second = ask(settings, momentum, ADA, drafts, after=first["pageInfo"]["endCursor"])["goals"]
    assert [e["node"]["id"] for e in second["edges"]] == goals[1:2]
    assert second["pageInfo"]["hasPreviousPage"] is False and second["pageInfo"]["hasNextPage"] is True
    third = ask(settings, momentum, ADA, drafts, after=second["pageInfo"]["endCursor"])["goals"]
    assert third["pageInfo"]["hasPreviousPage"] is True and third["pageInfo"]["hasNextPage"] is False


def cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "after",
    [
        cursor("feedbackInbox:3"),
        cursor("kudos:-1"),
        cursor("kudos:99999999999999999999"),
        cursor("kudos:" + "9" * 5000),  # more digits than Python's int() reads
        cursor("kudos: 5"),
        cursor("kudos:٣"),
        "not a cursor",
        "",
        "\ud800",
    ],
)
def test_a_cursor_of_another_field_or_out_of_range_is_refused_as_validation(
    momentum: Momentum, settings: Settings, world: dict[str, Any], after: str
) -> None:
    text = f"query($after: String) {{ kudosConnection(after: $after) {{ {PAGE} }} }}"
    result = query(settings, momentum, text, MAYA, after=after)
    assert [(e.extensions["code"], e.extensions.get("field")) for e in result.errors] == [("VALIDATION", "after")]
