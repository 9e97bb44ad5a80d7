"""The authentication gate, from outside: every document of the schema, over GET (any Accept),
POST and the websocket, without a token, with an expired one, and on an open socket whose token
expires, executes nothing and stores nothing; only GraphiQL's page loads without a token."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import httpx
import jwt
import pytest
from websockets.exceptions import ConnectionClosed

from api.auth import issue_token
from settings import Settings
from tests.e2e.client import GraphQL, api_base, mutate
from tests.e2e.conftest import api_with
from tests.e2e.documents import Document, every_document
from tests.e2e.ws import Subscriptions
from tests.stack import Process, running, stored_events, wait_until

ACCEPTS = ("text/html", "text/html,application/xhtml+xml,*/*;q=0.8", "application/json", "*/*",
           "application/graphql-response+json")
DOCUMENTS = every_document()


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with api_with(Path(tmp_path_factory.mktemp("api"))) as (fresh, _):
        yield fresh


@pytest.fixture(scope="module")
def stored_before(settings: Settings) -> int:
    """Something is stored already (a goal), so that a refused request that stored would show."""
    mutate(GraphQL(settings, "root", ("admin",)), "registerTeam", teamId="gate", name="Gate")
    return stored_events(settings)


def codes(body: dict) -> list[str]:  # type: ignore[type-arg]
    return [error["extensions"]["code"] for error in body["errors"]]


def expired(settings: Settings) -> str:
    return f"Bearer {issue_token(settings, 'ada', ['admin'], ttl_seconds=-60)}"


def over_http(http: httpx.Client, url: str, document: Document, authorization: str | None) -> list[httpx.Response]:
    """GET with each Accept, and POST."""
    auth = {"Authorization": authorization} if authorization else {}
    params = {"query": document.query, "variables": json.dumps(document.variables)}
    answers = [http.get(url, params=params, headers={**auth, "Accept": accept}) for accept in ACCEPTS]
    answers.append(http.post(url, json={"query": document.query, "variables": document.variables}, headers=auth))
    return answers


def closing_code(socket: Subscriptions, document: Document) -> int | None:
    """The code of the close frame the server answers `document` with."""
    with suppress(ConnectionClosed):  # the server may close before the subscribe is sent
        socket.subscribe("1", document.query, document.variables)
    with pytest.raises(ConnectionClosed) as closed:
        socket.receive()
    socket.close()
    return closed.value.rcvd.code if closed.value.rcvd is not None else None


@pytest.mark.parametrize("token", ["none", "expired"])
def test_no_document_executes_over_http_without_a_valid_token(
    settings: Settings, stored_before: int, token: str
) -> None:
    authorization = expired(settings) if token == "expired" else None
    http, url = httpx.Client(timeout=30), GraphQL(settings).url
    for document in DOCUMENTS:
        for response in over_http(http, url, document, authorization):
            assert response.status_code == 401, (document.query, response.text)
            assert response.json()["data"] is None and codes(response.json()) == ["UNAUTHENTICATED"]
    assert stored_events(settings) == stored_before


@pytest.mark.parametrize("payload", [{}, {"Authorization": "Bearer not.a.jwt"}, None],
                         ids=["none", "malformed", "expired"])
def test_no_document_executes_on_a_websocket_without_a_valid_token(
    settings: Settings, stored_before: int, payload: dict[str, str] | None
) -> None:
    for document in DOCUMENTS:
        socket = Subscriptions(settings, payload if payload is not None else {"Authorization": expired(settings)})
        assert closing_code(socket, document) == 4403, document.query
    assert stored_events(settings) == stored_before


def test_no_document_executes_on_a_websocket_before_connection_init(settings: Settings, stored_before: int) -> None:
    for document in DOCUMENTS:
        assert closing_code(Subscriptions(settings, init=False), document) == 4401, document.query
    assert stored_events(settings) == stored_before


def test_no_document_executes_on_an_open_websocket_once_its_token_has_expired(
    settings: Settings, stored_before: int
) -> None:
    token = issue_token(settings, "ada", ["admin"], ttl_seconds=2)
    socket = Subscriptions(settings, {"Authorization": f"Bearer {token}"})
    assert socket.receive() == {"type": "connection_ack"}
    socket.subscribe("live", "{ me { id } }")
    assert socket.receive()["payload"] == {"data": {"me": {"id": "ada"}}}  # the socket works while the token does
    assert socket.receive() == {"id": "live", "type": "complete"}
    expiry = jwt.decode(token, options={"verify_signature": False})["exp"]
    wait_until(lambda: time.time() > expiry, 10, "the token to expire")

    for number, document in enumerate(DOCUMENTS):
        socket.subscribe(str(number), document.query, document.variables)
        refused, then = socket.receive(), socket.receive()
        assert refused["type"] == "next" and refused["payload"]["data"] is None, (document.query, refused)
        assert codes(refused["payload"]) == ["UNAUTHENTICATED"], document.query
        assert then == {"id": str(number), "type": "complete"}
    socket.close()
    assert stored_events(settings) == stored_before


def test_graphiql_loads_without_a_token_and_executes_nothing(settings: Settings) -> None:
    url = GraphQL(settings).url
    for accept in ("text/html", "*/*"):
        page = httpx.get(url, headers={"Accept": accept})
        assert page.status_code == 200 and "graphiql" in page.text.lower()
    with_operation = httpx.get(url, params={"query": "{ __typename }"}, headers={"Accept": "text/html"})
    assert with_operation.status_code == 401 and codes(with_operation.json()) == ["UNAUTHENTICATED"]


def test_a_person_whose_subject_is_anonymous_is_not_special(settings: Settings, tmp_path: Path) -> None:
    """The API once ran token-less GETs as the actor `anonymous`, and so showed that person's private goals."""
    anonymous, bob = GraphQL(settings, "anonymous"), GraphQL(settings, "bob")
    goal = anonymous.create_goal("Private to anonymous", visibility="PRIVATE")
    query = "query($id: ID!, $after: Int) { goal(id: $id, consistency: $after) { title } }"
    variables = {"id": goal["goalId"], "after": goal["sequence"]}
    with running(Process("relay", settings, tmp_path), Process("projector", settings, tmp_path)):
        wait_until(lambda: "errors" not in anonymous.post(query, variables).json(), 60, "the goal to be projected")
    assert anonymous.data(query, variables)["goal"] == {"title": "Private to anonymous"}
    assert bob.data(query, {"id": goal["goalId"]})["goal"] is None
    tokenless = httpx.get(anonymous.url, params={"query": query, "variables": json.dumps({"id": goal["goalId"]})},
                          headers={"Accept": "text/html"})
    assert tokenless.status_code == 401 and "Private" not in tokenless.text


def test_the_audit_routes_pass_the_gate(settings: Settings) -> None:
    base = f"{api_base(settings)}/audit"
    for path in ("/export?person=ada", "/goals/8b0f3f2e-1111-4222-8333-444455556666", "/goals/not-a-uuid",
                 "/cycles/8b0f3f2e-1111-4222-8333-444455556666", "/cycles/not-a-uuid?team=core"):
        for headers in ({}, {"Authorization": expired(settings)}):
            response = httpx.get(base + path, headers=headers)
            assert response.status_code == 401 and codes(response.json()) == ["UNAUTHENTICATED"], path
