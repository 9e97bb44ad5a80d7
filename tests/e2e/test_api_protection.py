"""Every limit and every stable error code over HTTP against one real API process (no relay,
no projector), configured with small limits and the test-only failing resolver."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from settings import Settings
from tests.e2e.client import GraphQL, error_codes, metric, mutate
from tests.e2e.conftest import api_with
from tests.stack import Process

MISSING = "8b0f3f2e-1111-4222-8333-444455556666"
BURST = 30
LIMITS: dict[str, object] = {
    "consistency_wait_ms": 200,
    "max_body_bytes": 4096,
    "graphql_max_depth": 4,
    "graphql_max_tokens": 200,
    "graphql_max_aliases": 3,
    "graphql_introspection": False,
    "rate_limit_per_second": 0.01,
    "rate_limit_burst": BURST,
    "fault_injection": True,
}


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Process]]:
    with api_with(Path(tmp_path_factory.mktemp("api")), **LIMITS) as api:  # for the module, not for one test
        yield api


@pytest.fixture
def settings(limited: tuple[Settings, Process]) -> Settings:
    return limited[0]


def codes(response: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json()["errors"]]


def test_unauthenticated(settings: Settings) -> None:
    response = httpx.post(GraphQL(settings).url, json={"query": "{ me { id } }"})
    assert response.status_code == 401 and codes(response) == ["UNAUTHENTICATED"]


def test_forbidden(settings: Settings) -> None:
    assert error_codes(GraphQL(settings, "ada"), "registerTeam", teamId="t", name="T") == ["FORBIDDEN"]


def test_not_found(settings: Settings) -> None:
    assert error_codes(GraphQL(settings, "ada"), "recordCheckIn", goalId=MISSING, progress=5) == ["NOT_FOUND"]


def test_validation(settings: Settings) -> None:
    assert error_codes(GraphQL(settings, "ada"), "createGoal", title=" ") == ["VALIDATION"]


def test_conflict(settings: Settings) -> None:
    admin = GraphQL(settings, "root", ("admin",))
    mutate(admin, "registerTeam", teamId="twice", name="Twice")
    assert error_codes(admin, "registerTeam", teamId="twice", name="Twice") == ["CONFLICT"]


def test_unavailable_when_the_read_models_do_not_reach_the_token_in_time(settings: Settings) -> None:
    response = GraphQL(settings, "ada").post("query { me { id } }", None, **{"X-Momentum-Consistency": str(10**12)})
    assert codes(response) == ["UNAVAILABLE"]
    assert "retry" in response.json()["errors"][0]["message"]


def test_rate_limited_per_subject(settings: Settings) -> None:
    hammer, calm = GraphQL(settings, "hammer"), GraphQL(settings, "calm")
    answers = [hammer.post("{ me { id } }") for _ in range(BURST + 1)]
    assert [r.status_code for r in answers[:-1]] == [200] * BURST
    assert answers[-1].status_code == 429 and codes(answers[-1]) == ["RATE_LIMITED"]
    assert int(answers[-1].headers["Retry-After"]) >= 1
    assert calm.post("{ me { id } }").status_code == 200  # another subject keeps its own bucket


def test_an_unexpected_error_is_masked(settings: Settings) -> None:
    response = GraphQL(settings, "ada").post("{ failingResolver }")
    body = response.json()
    assert body["errors"] == [
        {"message": "Unexpected error.", "locations": [{"line": 1, "column": 3}], "path": ["failingResolver"],
         "extensions": {"code": "INTERNAL"}}
    ]
    assert "hunter2" not in response.text and "Traceback" not in response.text


def test_a_query_deeper_than_the_limit_is_refused(settings: Settings) -> None:
    deep = '{ person(id: "ada") { manager { manager { manager { manager { id } } } } } }'
    response = GraphQL(settings, "ada").post(deep)
    assert codes(response) == ["VALIDATION"] and "exceeds maximum operation depth" in response.text


def test_a_query_with_too_many_tokens_is_refused(settings: Settings) -> None:
    many = "{ " + " ".join("me { id roles }" for _ in range(60)) + " }"
    response = GraphQL(settings, "ada").post(many)
    assert codes(response) == ["VALIDATION"] and "more than 200 tokens" in response.text


def test_a_query_with_too_many_aliases_is_refused(settings: Settings) -> None:
    aliased = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(4)) + " }"
    response = GraphQL(settings, "ada").post(aliased)
    assert codes(response) == ["VALIDATION"] and "aliases" in response.text


def test_a_page_larger_than_the_cap_is_refused(settings: Settings) -> None:
    response = GraphQL(settings, "ada").post("{ goals(first: 1000) { edges { cursor } } }")
    assert codes(response) == ["VALIDATION"] and "first must be between" in response.text


def test_introspection_can_be_disabled(settings: Settings) -> None:
    response = GraphQL(settings, "ada").post("{ __schema { queryType { name } } }")
    assert set(codes(response)) == {"VALIDATION"} and "introspection has been disabled" in response.text


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_size_limit_is_refused_with_413(settings: Settings, chunked: bool) -> None:
    ada = GraphQL(settings, "ada")
    body = json.dumps({"query": "{ me { id } }", "variables": {"padding": "x" * 5000}}).encode()
    content = iter([body[:2000], body[2000:]]) if chunked else body
    response = ada.http.post(
        ada.url, content=content, headers={"Authorization": f"Bearer {ada.token}", "Content-Type": "application/json"}
    )
    assert response.status_code == 413 and codes(response) == ["VALIDATION"]
    assert "4096 bytes" in response.json()["errors"][0]["message"]


def test_a_request_id_is_echoed_or_generated_and_logged(limited: tuple[Settings, Process]) -> None:
    settings, process = limited
    ada = GraphQL(settings, "ada")
    echoed = ada.post("{ me { id } }", None, **{"X-Request-Id": "trace-me-42"})
    generated = ada.post("{ me { id } }")
    assert echoed.headers["X-Request-Id"] == "trace-me-42"
    assert len(generated.headers["X-Request-Id"]) == 32
    lines = [json.loads(line) for line in process.log_path.read_text().splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("request_id") == "trace-me-42"]
    assert access and access[-1]["path"] == "/graphql" and access[-1]["status"] == 200
    assert {"time", "level", "logger", "message", "duration_ms"} <= access[-1].keys()


def test_metrics_show_the_relay_lag_when_no_relay_runs(settings: Settings) -> None:
    mutate(GraphQL(settings, "root", ("admin",)), "registerTeam", teamId="waiting", name="Waiting")
    with psycopg.connect(settings.database_url) as conn:
        row = conn.execute("SELECT max(notification_id) FROM momentum_events").fetchone()
    assert row is not None and metric(settings, "momentum_relay_lag_events") == row[0]
