"""Hostile requests by hand: each gets a clear refusal or a correct answer, never a 5xx, a hang
or a stack trace."""

from __future__ import annotations

import httpx
import pytest

from settings import Settings
from tests.e2e.client import CREATE_GOAL, GraphQL
from tests.stack import Process

BOUND_S = 30


def assert_handled(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text[:500]
    assert "Traceback" not in response.text and 'File "' not in response.text


@pytest.fixture
def ada(settings: Settings, api: Process) -> GraphQL:
    client = GraphQL(settings, "ada")
    client.http = httpx.Client(timeout=BOUND_S)
    return client


def test_a_huge_string_is_refused(ada: GraphQL) -> None:
    response = ada.post(CREATE_GOAL, {"input": {"title": "x" * 2_000_000}})
    assert_handled(response)
    assert response.status_code == 413 or response.json()["errors"][0]["extensions"]["code"] == "VALIDATION"


def test_deep_nesting_is_refused(ada: GraphQL) -> None:
    query = "query { " + "goal(id: \"1\") { " * 300 + "id" + " }" * 300 + " }"
    response = ada.post(query)
    assert_handled(response)
    assert response.json()["errors"]


def test_thousands_of_aliases_are_handled(ada: GraphQL) -> None:
    fields = " ".join(f'a{i}: goal(id: "8b0f3f2e-1111-4222-8333-44445555{i:04d}") {{ id }}' for i in range(3000))
    response = ada.post("query { " + fields + " }")
    assert_handled(response)


def test_invalid_utf8_is_refused(ada: GraphQL) -> None:
    body = b'{"query": "query { goal(id: \\"\xff\xfe\\") { id } }"}'
    response = ada.http.post(ada.url, content=body, headers={
        "Authorization": f"Bearer {ada.token}", "Content-Type": "application/json"})
    assert_handled(response)
    assert response.status_code == 400 or response.json()["errors"]


def test_a_nul_byte_and_control_characters_are_refused(ada: GraphQL) -> None:
    response = ada.post(CREATE_GOAL, {"input": {"title": "ship\u0000it"}})
    assert_handled(response)
    assert response.json()["errors"][0]["extensions"]["code"] == "VALIDATION"


def test_wrong_content_types_and_methods_are_refused(ada: GraphQL) -> None:
    auth = {"Authorization": f"Bearer {ada.token}"}
    for response in (
        ada.http.post(ada.url, content=b"query { me { id } }", headers={**auth, "Content-Type": "text/plain"}),
        ada.http.put(ada.url, json={"query": "{ __typename }"}, headers=auth),
        ada.http.post(ada.url, json=["not", "an", "object"], headers=auth),
        ada.http.post(ada.url, json={"query": 42}, headers=auth),
    ):
        assert_handled(response)
        assert response.status_code >= 400 or response.json().get("errors")
