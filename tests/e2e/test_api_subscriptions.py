"""Subscriptions over graphql-transport-ws on the real stack: a change made by another client
arrives, and a subscriber never receives an item it may not see."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from websockets.exceptions import ConnectionClosed

from api.auth import issue_token
from settings import Settings
from tests.e2e.client import GraphQL, build_feedback_org, mutate
from tests.e2e.ws import Subscriptions
from tests.stack import Process, drop_database, fresh_settings

GOAL_UPDATED = "subscription($id: ID!) { goalUpdated(goalId: $id) { id title visibility progress version } }"
MY_FEEDBACK = (
    "subscription($after: Int) { myFeedback(after: $after) { __typename "
    "... on Feedback { id text visibility givenSequence } "
    "... on FeedbackRequest { id question requestedSequence respondents { personId } } } }"
)
KUDOS_FEED = (
    "subscription($after: Int) { kudosFeed(after: $after) { id giverId recipientIds points valueName message } }"
)


@pytest.fixture
def settings() -> Iterator[Settings]:
    """Read-your-writes may wait longer here: a loaded machine can keep the projector seconds behind."""
    fresh = fresh_settings(consistency_wait_ms=20000)
    yield fresh
    drop_database(fresh)


def bearer(settings: Settings, subject: str) -> str:
    return f"Bearer {issue_token(settings, subject, [])}"


def connected(settings: Settings, sockets: list[Subscriptions], subject: str) -> Subscriptions:
    socket = Subscriptions(settings, {"Authorization": bearer(settings, subject)})
    sockets.append(socket)
    assert socket.receive() == {"type": "connection_ack"}
    return socket


def item(socket: Subscriptions, id: str = "1", field: str = "goalUpdated") -> dict:  # type: ignore[type-arg]
    message = socket.receive()
    assert message["type"] == "next" and message["id"] == id, message
    assert "errors" not in message["payload"], message
    delivered: dict = message["payload"]["data"][field]  # type: ignore[type-arg]
    return delivered


def test_a_subscriber_receives_the_change_another_client_makes(
    settings: Settings, pipeline: dict[str, Process], sockets: list[Subscriptions]
) -> None:
    ada = GraphQL(settings, "ada")
    written = ada.create_goal("Ship v1")
    assert ada.goal(written["goalId"], consistency=written["sequence"]) is not None
    bob = connected(settings, sockets, "bob")
    bob.subscribe("1", GOAL_UPDATED, {"id": written["goalId"]})
    assert item(bob)["version"] == 1  # the goal as it is now: the subscription is live

    ada.check_in(written["goalId"], 40)

    assert item(bob) == {"id": written["goalId"], "title": "Ship v1", "visibility": "PUBLIC", "progress": 40.0,
                         "version": 2}


def test_a_subscription_reads_afresh_after_a_query_on_the_same_websocket(
    settings: Settings, pipeline: dict[str, Process], sockets: list[Subscriptions]
) -> None:
    """A websocket's one context serves each operation on it: a subscription started after a
    query must not answer from the reads that query cached."""
    ada = GraphQL(settings, "ada")
    written = ada.create_goal("Ship v1")
    assert ada.goal(written["goalId"], consistency=written["sequence"]) is not None
    bob = connected(settings, sockets, "bob")
    bob.subscribe("1", "query($id: ID!) { goal(id: $id) { progress } }", {"id": written["goalId"]})
    assert item(bob, "1", "goal") == {"progress": 0.0}
    assert bob.receive() == {"id": "1", "type": "complete"}
    checked = ada.check_in(written["goalId"], 40)
    assert ada.goal(written["goalId"], consistency=checked["sequence"]) is not None

    bob.subscribe("2", GOAL_UPDATED, {"id": written["goalId"]})

    assert item(bob, "2")["progress"] == 40.0


def test_a_subscriber_never_receives_a_version_it_may_not_see(
    settings: Settings, pipeline: dict[str, Process], sockets: list[Subscriptions]
) -> None:
    ada = GraphQL(settings, "ada")
    written = ada.create_goal("Shared, then private, then shared again")
    goal_id = written["goalId"]
    ada.goal(goal_id, consistency=written["sequence"])
    bob = connected(settings, sockets, "bob")
    bob.subscribe("1", GOAL_UPDATED, {"id": goal_id})
    assert item(bob)["version"] == 1

    mutate(ada, "editGoal", goalId=goal_id, visibility="PRIVATE")
    ada.check_in(goal_id, 70)  # a private version: bob must never get it
    last = mutate(ada, "editGoal", goalId=goal_id, visibility="PUBLIC", title="Public again")

    seen = item(bob)
    assert seen["version"] == last["version"] and seen["title"] == "Public again"
    assert seen["visibility"] == "PUBLIC"


def test_a_goal_the_subscriber_may_not_see_is_refused_and_never_delivered(
    settings: Settings, pipeline: dict[str, Process], sockets: list[Subscriptions]
) -> None:
    ada = GraphQL(settings, "ada")
    written = ada.create_goal("Ada's secret", visibility="PRIVATE")
    ada.goal(written["goalId"], consistency=written["sequence"])
    eve = connected(settings, sockets, "eve")
    eve.subscribe("1", GOAL_UPDATED, {"id": written["goalId"]})

    refused, then = eve.receive(), eve.receive()

    assert refused["type"] == "next" and refused["payload"]["data"] is None, refused
    assert [e["extensions"]["code"] for e in refused["payload"]["errors"]] == ["NOT_FOUND"]
    assert then == {"id": "1", "type": "complete"}


@pytest.mark.parametrize("payload", [{}, {"Authorization": "Bearer not.a.jwt"}, {"Authorization": 42}])
def test_a_websocket_without_a_valid_token_is_closed(
    settings: Settings, api: Process, sockets: list[Subscriptions], payload: dict[str, object]
) -> None:
    socket = Subscriptions(settings, payload)
    sockets.append(socket)
    with pytest.raises(ConnectionClosed) as closed:
        socket.receive()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


def test_a_websocket_may_authenticate_with_the_handshake_header(
    settings: Settings, api: Process, sockets: list[Subscriptions]
) -> None:
    socket = Subscriptions(settings, None, Authorization=bearer(settings, "ada"))
    sockets.append(socket)
    assert socket.receive() == {"type": "connection_ack"}


def test_a_websocket_whose_token_has_expired_gets_no_more_items(
    settings: Settings, api: Process, sockets: list[Subscriptions]
) -> None:
    socket = Subscriptions(settings, {"Authorization": f"Bearer {issue_token(settings, 'ada', [], ttl_seconds=2)}"})
    sockets.append(socket)
    assert socket.receive() == {"type": "connection_ack"}
    expiry = time.time() + 2
    while time.time() <= expiry:  # let the token expire (no assertion on timing)
        time.sleep(0.2)

    socket.subscribe("1", GOAL_UPDATED, {"id": "8b0f3f2e-1111-4222-8333-444455556666"})

    refused = socket.receive()
    assert [e["extensions"]["code"] for e in refused["payload"]["errors"]] == ["UNAUTHENTICATED"], refused


def test_a_kudos_feed_subscriber_receives_the_kudos_others_give_after_the_cursor(
    settings: Settings, pipeline: dict[str, Process], sockets: list[Subscriptions]
) -> None:
    admin, ada, bob = GraphQL(settings, "root", ("admin",)), GraphQL(settings, "ada"), GraphQL(settings, "bob")
    build_feedback_org(admin)
    seen = mutate(ada, "giveKudos", recipientIds=["bob"], valueId="ownership", points=5, message="seen already")
    eve = connected(settings, sockets, "eve")
    eve.subscribe("1", KUDOS_FEED, {"after": seen["sequence"]})

    first = mutate(ada, "giveKudos", recipientIds=["bob", "maya"], valueId="ownership", points=10, message="shipped")
    assert item(eve, field="kudosFeed") == {"id": first["id"], "giverId": "ada", "recipientIds": ["bob", "maya"],
                                            "points": 10, "valueName": "Ownership", "message": "shipped"}
    second = mutate(bob, "giveKudos", recipientIds=["ada"], valueId="ownership", points=3, message="thanks")  # live
    assert item(eve, field="kudosFeed")["id"] == second["id"]


def test_my_feedback_delivers_only_the_feedback_and_requests_for_the_subscriber(
    settings: Settings, pipeline: dict[str, Process], sockets: list[Subscriptions]
) -> None:
    admin, ada, maya = GraphQL(settings, "root", ("admin",)), GraphQL(settings, "ada"), GraphQL(settings, "maya")
    build_feedback_org(admin)
    seen = mutate(ada, "giveFeedback", recipientId="bob", kind="PRAISE", visibility="PUBLIC", text="seen already")
    bob = connected(settings, sockets, "bob")
    bob.subscribe("1", MY_FEEDBACK, {"after": seen["sequence"]})

    mutate(ada, "giveFeedback", recipientId="eve", kind="NOTE", visibility="PRIVATE", text="for eve only")
    mutate(maya, "giveFeedback", recipientId="ada", kind="PRAISE", visibility="PUBLIC", text="public, for ada")
    mutate(ada, "requestFeedback", respondentIds=["maya"], question="not for bob")
    mine = mutate(ada, "giveFeedback", recipientId="bob", kind="CONSTRUCTIVE", visibility="MANAGER", text="for bob")
    asked = mutate(maya, "requestFeedback", respondentIds=["eve", "bob"], question="How did the demo go?")

    # items come in sequence order: anything not for bob would have come before these
    assert item(bob, field="myFeedback") == {"__typename": "Feedback", "id": mine["id"], "text": "for bob",
                                             "visibility": "MANAGER", "givenSequence": mine["sequence"]}
    assert item(bob, field="myFeedback") == {"__typename": "FeedbackRequest", "id": asked["id"],
                                             "question": "How did the demo go?", "requestedSequence": asked["sequence"],
                                             "respondents": [{"personId": "bob"}]}
    eve = GraphQL(settings, "eve")
    later = mutate(eve, "giveFeedback", recipientId="bob", kind="PRAISE", visibility="PRIVATE", text="live")
    assert item(bob, field="myFeedback")["id"] == later["id"]


def test_a_negative_cursor_is_refused(settings: Settings, api: Process, sockets: list[Subscriptions]) -> None:
    ada = connected(settings, sockets, "ada")
    ada.subscribe("1", KUDOS_FEED, {"after": -1})

    refused = ada.receive()

    assert [e["extensions"]["code"] for e in refused["payload"]["errors"]] == ["VALIDATION"], refused
