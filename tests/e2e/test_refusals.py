"""Bad tokens and bad input get one typed error over HTTP, and nothing is stored."""

from __future__ import annotations

import time

import httpx
import jwt
import pytest

from settings import Settings
from tests.e2e.client import CREATE_GOAL, RECORD_CHECK_IN, GraphQL, api_base
from tests.stack import Process, stored_events


def codes(body: dict) -> list[str]:  # type: ignore[type-arg]
    return [e["extensions"]["code"] for e in body["errors"]]


def forged(settings: Settings, **claims: object) -> str:
    payload = {"sub": "ada", "roles": [], "exp": int(time.time()) + 60, **claims}
    return jwt.encode(payload, settings.jwt_secret, algorithm="HS256")


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer",
        "Basic YWRhOmFkYQ==",
        "Bearer not.a.jwt",
        "Bearer " + jwt.encode({"sub": "ada", "exp": int(time.time()) + 60}, "wrong-secret", algorithm="HS256"),
        "expired",
        "no-subject",
        "alg-none",
    ],
)
def test_a_bad_token_is_unauthenticated_and_changes_nothing(
    settings: Settings, api: Process, authorization: str | None
) -> None:
    if authorization == "expired":
        authorization = "Bearer " + forged(settings, exp=int(time.time()) - 10)
    elif authorization == "no-subject":
        authorization = "Bearer " + jwt.encode({"exp": int(time.time()) + 60}, settings.jwt_secret, algorithm="HS256")
    elif authorization == "alg-none":
        authorization = "Bearer " + jwt.encode({"sub": "ada", "exp": int(time.time()) + 60}, None, algorithm="none")
    headers = {} if authorization is None else {"Authorization": authorization}
    before = stored_events(settings)
    response = httpx.post(
        f"{api_base(settings)}/graphql",
        json={"query": CREATE_GOAL, "variables": {"input": {"title": "sneaky"}}},
        headers=headers,
    )
    assert response.status_code == 401
    assert codes(response.json()) == ["UNAUTHENTICATED"]
    assert stored_events(settings) == before


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"goalId": "GOAL", "progress": 101}, "VALIDATION"),
        ({"goalId": "GOAL", "progress": -5}, "VALIDATION"),
        ({"goalId": "GOAL", "progress": 5, "confidence": 11}, "VALIDATION"),
        ({"goalId": "GOAL", "progress": "fifty"}, "VALIDATION"),
        ({"goalId": "GOAL", "progress": 5, "note": "x" * 5001}, "VALIDATION"),
        ({"goalId": "8b0f3f2e-1111-4222-8333-444455556666", "progress": 5}, "NOT_FOUND"),
        ({"goalId": "not-a-uuid", "progress": 5}, "VALIDATION"),
        ({"progress": 5}, "VALIDATION"),
    ],
)
def test_a_bad_check_in_gets_one_typed_error_and_stores_nothing(
    settings: Settings, api: Process, variables: dict, code: str  # type: ignore[type-arg]
) -> None:
    ada = GraphQL(settings, "ada")
    goal_id = ada.create_goal("Target")["goalId"]
    if variables.get("goalId") == "GOAL":
        variables = {**variables, "goalId": goal_id}
    before = stored_events(settings)
    body = ada.post(RECORD_CHECK_IN, {"input": variables}).json()
    assert codes(body) == [code], body
    assert body.get("data") in (None, {"recordCheckIn": None}) or body["data"] is None
    assert stored_events(settings) == before


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": ""}, "VALIDATION"),
        ({"title": "   "}, "VALIDATION"),
        ({"title": "t" * 201}, "VALIDATION"),
        ({"title": 12}, "VALIDATION"),
        ({"title": "ok", "visibility": "SECRET"}, "VALIDATION"),
        ({"title": "ok", "ownerId": "bob"}, "FORBIDDEN"),
    ],
)
def test_a_bad_goal_gets_one_typed_error_and_stores_nothing(
    settings: Settings, api: Process, fields: dict, code: str  # type: ignore[type-arg]
) -> None:
    before = stored_events(settings)
    body = GraphQL(settings, "ada").post(CREATE_GOAL, {"input": fields}).json()
    assert codes(body) == [code], body
    assert stored_events(settings) == before


def test_a_malformed_request_is_refused(settings: Settings, api: Process) -> None:
    ada = GraphQL(settings, "ada")
    response = ada.http.post(ada.url, content=b"{not json", headers={
        "Authorization": f"Bearer {ada.token}", "Content-Type": "application/json"})
    assert response.status_code == 400
    body = ada.post("query { goal(id: ") .json()
    assert codes(body) == ["VALIDATION"]


def test_an_unknown_goal_reads_as_null(settings: Settings, api: Process) -> None:
    assert GraphQL(settings, "ada").goal("8b0f3f2e-1111-4222-8333-444455556666") is None


def test_graphiql_is_served_to_a_browser(settings: Settings, api: Process) -> None:
    page = httpx.get(f"{api_base(settings)}/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
