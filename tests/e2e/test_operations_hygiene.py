"""Operations hygiene of a running API over HTTP and websockets: security headers on every
response, CORS only for listed origins, several operations refused without operationName on
every transport, and a log where expected refusals are INFO lines without a traceback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.headers import API_POLICY, page_policies
from settings import Settings
from tests.e2e.client import GraphQL, api_base, error_codes
from tests.e2e.conftest import api_with
from tests.e2e.ws import Subscriptions
from tests.stack import Process

ALLOWED = "https://okr.example.com"
TWO = "query First { me { id } } query Second { me { roles } }"
SMALL_BODY = 4096


@pytest.fixture(scope="module")
def hygiene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Process]]:
    with api_with(Path(tmp_path_factory.mktemp("api")), fault_injection=True, max_body_bytes=SMALL_BODY) as api:
        yield api


@pytest.fixture
def settings(hygiene: tuple[Settings, Process]) -> Settings:
    return hygiene[0]


def assert_secured(response: httpx.Response, policy: str = API_POLICY) -> None:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff", response.request.url
    assert headers["referrer-policy"] == "no-referrer" and headers["x-frame-options"] == "DENY"
    assert headers["content-security-policy"] == policy, response.request.url
    assert "frame-ancestors 'none'" in policy


def test_no_openapi_page_or_document_is_served(settings: Settings) -> None:
    for path in ("/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"):
        response = httpx.get(f"{api_base(settings)}{path}")
        assert response.status_code == 404 and response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND", path


def test_every_response_carries_the_security_headers(settings: Settings) -> None:
    ada = GraphQL(settings, "ada")
    responses = [
        httpx.get(f"{api_base(settings)}/healthz"),
        httpx.get(f"{api_base(settings)}/metrics"),
        httpx.get(f"{api_base(settings)}/no-such-route"),
        ada.post("{ me { id } }"),
        httpx.post(ada.url, json={"query": "{ me { id } }"}),  # 401
        ada.http.post(ada.url, content=b"x" * (SMALL_BODY + 1), headers={"Content-Type": "application/json"}),  # 413
        httpx.get(f"{api_base(settings)}/audit/export", params={"goal": "x"}),  # 401 of the audit routes
    ]
    assert [r.status_code for r in responses] == [200, 200, 404, 200, 401, 413, 401]
    for response in responses:
        assert_secured(response)
    graphiql = httpx.get(ada.url, headers={"Accept": "text/html"})
    assert graphiql.status_code == 200 and "graphiql" in graphiql.text.lower()
    assert_secured(graphiql, page_policies(graphiql.text)["/graphql"])


def test_no_origin_gets_cors_headers_by_default(settings: Settings) -> None:
    ada = GraphQL(settings, "ada")
    preflight = httpx.options(ada.url, headers={"Origin": ALLOWED, "Access-Control-Request-Method": "POST"})
    answer = ada.post("{ me { id } }", None, Origin=ALLOWED)
    assert answer.status_code == 200
    for response in (preflight, answer):
        assert not [h for h in response.headers if h.startswith("access-control-")], response.headers


def test_only_the_listed_origins_get_cors_headers(log_dir: Path) -> None:
    with api_with(log_dir, cors_origins=f"{ALLOWED},http://localhost:3000") as (settings, _):
        ada = GraphQL(settings, "ada")
        preflight = httpx.options(ada.url, headers={
            "Origin": ALLOWED, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type"})
        assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == ALLOWED
        assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
        assert ada.post("{ me { id } }", None, Origin=ALLOWED).headers["access-control-allow-origin"] == ALLOWED
        other = ada.post("{ me { id } }", None, Origin="https://evil.example.net")
        assert other.status_code == 200 and "access-control-allow-origin" not in other.headers
        refused = httpx.options(ada.url, headers={"Origin": "https://evil.example.net",
                                                  "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in refused.headers


def graphql_get(client: GraphQL, **params: Any) -> httpx.Response:
    return client.http.get(client.url, params=params, headers={"Authorization": f"Bearer {client.token}"})


def socket_answer(settings: Settings, client: GraphQL, payload: dict[str, Any]) -> dict[str, Any]:
    socket = Subscriptions(settings, {"Authorization": f"Bearer {client.token}"})
    try:
        assert socket.receive() == {"type": "connection_ack"}
        socket.send({"id": "1", "type": "subscribe", "payload": payload})
        return socket.receive()
    finally:
        socket.close()


def test_several_operations_without_an_operation_name_are_refused_on_every_transport(settings: Settings) -> None:
    ada = GraphQL(settings, "ada")
    post = ada.post(TWO).json()
    get = graphql_get(ada, query=TWO).json()
    for body in (post, get):
        assert body["data"] is None and [e["extensions"]["code"] for e in body["errors"]] == ["VALIDATION"], body
        assert "operationName" in body["errors"][0]["message"]
    websocket = socket_answer(settings, ada, {"query": TWO})
    assert websocket["type"] == "error" and [e["extensions"]["code"] for e in websocket["payload"]] == ["VALIDATION"]
    named = ada.http.post(ada.url, json={"query": TWO, "operationName": "Second"},
                          headers={"Authorization": f"Bearer {ada.token}"}).json()
    assert named == {"data": {"me": {"roles": []}}}
    assert graphql_get(ada, query=TWO, operationName="First").json() == {"data": {"me": {"id": "ada"}}}
    assert socket_answer(settings, ada, {"query": TWO, "operationName": "First"})["payload"] == {
        "data": {"me": {"id": "ada"}}}


def log_lines(process: Process, start: int) -> list[dict[str, Any]]:
    lines = process.log_path.read_text().splitlines()[start:]
    return [json.loads(line) for line in lines if line.startswith("{")]


def test_expected_refusals_are_logged_at_info_without_a_traceback(hygiene: tuple[Settings, Process]) -> None:
    settings, process = hygiene
    start = len(process.log_path.read_text().splitlines())
    ada = GraphQL(settings, "ada")
    httpx.post(ada.url, json={"query": "{ me { id } }"}, headers={"Authorization": "Bearer not-a-token"})
    httpx.post(ada.url, json={"query": "{ me { id } }"})
    assert error_codes(ada, "createGoal", title=" ") == ["VALIDATION"]
    assert error_codes(ada, "recordCheckIn", goalId="8b0f3f2e-1111-4222-8333-444455556666", progress=5) == [
        "NOT_FOUND"]
    assert error_codes(ada, "registerTeam", teamId="t", name="T") == ["FORBIDDEN"]
    ada.post("{ noSuchField }")
    ada.post(TWO)
    refusals = log_lines(process, start)
    assert not [r for r in refusals if r["level"] != "INFO" or "exception" in r], refusals
    assert sum(r["message"].startswith("refused ") for r in refusals) == 5
    ada.post("{ failingResolver }")
    surprise = [r for r in log_lines(process, start) if r["level"] == "ERROR"]
    assert len(surprise) == 1 and "Traceback" in surprise[0]["exception"], surprise
