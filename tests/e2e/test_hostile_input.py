"""Hostile requests, by hand and generated from the schema, against one real API process: each
gets a typed refusal (a JSON body with `errors[0].extensions.code`) or a correct answer, never a
5xx, a hang or a stack trace, and a refused request stores nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from settings import Settings
from tests.e2e.client import CREATE_GOAL, GraphQL
from tests.e2e.conftest import api_with
from tests.e2e.documents import every_document
from tests.e2e.ws import Subscriptions
from tests.stack import stored_events

BOUND_S = 30
SUBSCRIPTIONS_ON_WEBSOCKETS = "subscriptions are served on the websocket (graphql-transport-ws) only"
NOT_TEXT = {"nul": "a\x00b", "lone surrogate": "a\ud800b", "low surrogate": "\udfff"}


def assert_handled(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text[:500]
    assert "Traceback" not in response.text and 'File "' not in response.text


def assert_refused(response: httpx.Response, status: int, code: str) -> None:
    """A refusal of the one shape: the status, and a JSON body naming the code first."""
    assert_handled(response)
    assert response.headers["content-type"].startswith("application/json"), response.text[:300]
    assert (response.status_code, response.json()["errors"][0]["extensions"]["code"]) == (status, code), response.text


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with api_with(Path(tmp_path_factory.mktemp("api"))) as (fresh, _):
        yield fresh


@pytest.fixture
def ada(settings: Settings) -> GraphQL:
    client = GraphQL(settings, "ada", ("admin",))
    client.http = httpx.Client(timeout=BOUND_S)
    return client


def post_raw(client: GraphQL, body: bytes, **headers: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {client.token}", "Content-Type": "application/json", **headers}
    return client.http.post(client.url, content=body, headers=headers)


def signed(settings: Settings, claims: str) -> str:
    """An HS256 token with the exact claims text, validly signed: only its content is hostile."""
    def part(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    signing_input = part(b'{"alg":"HS256","typ":"JWT"}') + b"." + part(claims.encode())
    signature = part(hmac.new(settings.jwt_secret.encode(), signing_input, hashlib.sha256).digest())
    return (signing_input + b"." + signature).decode()


def test_a_huge_string_is_refused(ada: GraphQL) -> None:
    response = ada.post(CREATE_GOAL, {"input": {"title": "x" * 2_000_000}})
    assert_handled(response)
    assert response.status_code == 413 or response.json()["errors"][0]["extensions"]["code"] == "VALIDATION"


def test_deep_nesting_is_refused(ada: GraphQL, settings: Settings) -> None:
    """A valid document (a manager's manager's …), deeper than MOMENTUM_GRAPHQL_MAX_DEPTH but small
    enough for the parser and the token limit: only the depth limit refuses it, before it runs."""
    levels = settings.graphql_max_depth + 8
    query = "query { me { person { " + "manager { " * levels + "id" + " }" * levels + " } } }"
    response = ada.post(query)
    assert_handled(response)
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "VALIDATION" and "exceeds maximum operation depth" in error["message"]
    assert response.json().get("data") is None


def test_thousands_of_aliases_are_handled(tmp_path: Path) -> None:
    """The token limit raised out of the way, so that the alias limit alone refuses the document
    before any of its 3000 lookups runs."""
    fields = " ".join(f'a{i}: goal(id: "8b0f3f2e-1111-4222-8333-44445555{i:04d}") {{ id }}' for i in range(3000))
    with api_with(tmp_path, graphql_max_tokens=100_000) as (settings, _):
        client = GraphQL(settings, "ada", ("admin",))
        client.http = httpx.Client(timeout=BOUND_S)
        response = client.post("query { " + fields + " }")
    assert_handled(response)
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "VALIDATION" and "aliases" in error["message"]
    assert response.json().get("data") is None


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


@pytest.mark.parametrize("body", [b"[1]", b"[]", b"42", b'"query"', b"null", b"true", b"  [{}]"])
def test_a_body_that_is_json_but_not_an_object_is_refused(ada: GraphQL, body: bytes) -> None:
    assert_refused(post_raw(ada, body), 400, "VALIDATION")


@pytest.mark.parametrize("body", [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"query": "{ me { id } }", "variables": {"v": ' + b"[" * 50_000 + b"]" * 50_000 + b"}}",
    b'{"query": "{ me { id } }", "variables": {"v": ' + b"1" * 5000 + b"}}",
    b'{"query": "{ me { id } }", "variables": {"v": NaN}}',
    b'{"query": "{ me { id } }", "variables": {"v": -Infinity}}',
    b'{"query": "{ me { id } }", "variables": {"v": 1e400}}',
], ids=["nested-array", "nested-variable", "5000-digit-integer", "nan", "infinity", "overflowing-float"])
def test_json_that_python_cannot_hold_is_refused(ada: GraphQL, body: bytes) -> None:
    assert_refused(post_raw(ada, body), 400, "VALIDATION")


def test_a_literal_nested_past_the_parser_limit_is_refused(ada: GraphQL) -> None:
    deep = "{ goals(first: " + "[" * 900 + "1" + "]" * 900 + ") { edges { cursor } } }"
    response = ada.post(deep)
    assert_handled(response)
    assert response.json()["errors"][0]["extensions"]["code"] == "VALIDATION"


@pytest.mark.parametrize("header", [
    b"9" * 5000, b"99999999999999999999", "\u0661\u0662".encode(), b"\xb2\xb3", b"-1", b"", b"1e3", b"0x10", b"+5",
], ids=["5000-digits", "beyond-bigint", "arabic-indic-digits", "superscript-digits", "negative", "empty", "exponent",
        "hex", "plus"])
def test_an_odd_consistency_header_is_refused(ada: GraphQL, header: bytes) -> None:
    response = ada.http.post(ada.url, json={"query": "{ me { id } }"},
                             headers={"Authorization": f"Bearer {ada.token}", "X-Momentum-Consistency": header})
    assert_refused(response, 400, "VALIDATION")


CLAIMS = [
    '{"sub": "ada", "exp": 1e400}', '{"sub": "ada", "exp": ' + "9" * 400 + "}",
    '{"sub": "ada", "exp": ' + "9" * 5000 + "}",
    '{"sub": "ada", "exp": -' + "9" * 400 + "}", '{"sub": "ada", "exp": 1e300}', '{"sub": "ada", "exp": "9999999999"}',
    '{"sub": "ada", "exp": true}', '{"sub": "ada", "exp": NaN}', '{"sub": "ada", "exp": null}', '{"sub": "ada"}',
    '{"sub": "ada", "exp": 9999999999, "iat": 1e400}', '{"sub": "ada", "exp": 9999999999, "iat": ' + "9" * 400 + "}",
    '{"sub": "ada", "exp": 9999999999, "iat": "now"}', '{"sub": "ada", "exp": 9999999999, "nbf": NaN}',
    '{"sub": "ada", "exp": 9999999999, "nbf": -' + "9" * 400 + "}",
    '{"sub": "ada", "exp": 9999999999, "roles": "admin"}', '{"sub": "ada", "exp": 9999999999, "roles": [1]}',
    '{"sub": "ada", "exp": 9999999999, "roles": null}', '{"sub": "ada", "exp": 9999999999, "roles": ["\\u0000"]}',
    '{"sub": "ada", "exp": 9999999999, "roles": {"admin": true}}',
    '{"sub": "a\\u0000da", "exp": 9999999999}', '{"sub": "\\ud800", "exp": 9999999999}',
    '{"sub": "' + "a" * 300 + '", "exp": 9999999999}', '{"sub": 7, "exp": 9999999999}',
    '{"sub": " ", "exp": 9999999999}',
    "[1]", '"ada"', "null",
]


@pytest.mark.parametrize("claims", CLAIMS)
def test_a_signed_token_with_absurd_claims_is_refused(settings: Settings, ada: GraphQL, claims: str) -> None:
    response = ada.http.post(ada.url, json={"query": "{ me { id roles } }"},
                             headers={"Authorization": f"Bearer {signed(settings, claims)}"})
    assert_refused(response, 401, "UNAUTHENTICATED")


@pytest.mark.parametrize("params", [
    {"query": "{ me { id } }", "variables": "not json"}, {"query": "{ me { id } }", "variables": "[1]"},
    {"query": "{ me { id } }", "variables": "5"}, {"query": "{ me { id } }", "variables": '"x"'},
    {"query": "{ me { id } }", "variables": "[" * 5000 + "]" * 5000},
    {"query": "{ me { id } }", "operationName": "Missing"}, {"query": "{ me { id } }", "extensions": "[1]"},
    {"query": ""}, {"operationName": "x", "variables": "{}"}, {"query": "subscription { kudosFeed { id } }"},
    {"query": 'mutation { registerTeam(input: {teamId: "t", name: "T"}) { id } }'},
], ids=["variables-not-json", "variables-list", "variables-number", "variables-string", "variables-deep",
        "unknown-operation", "extensions-list", "empty-query", "no-query", "subscription", "mutation"])
def test_odd_get_parameters_are_refused(ada: GraphQL, params: dict[str, str]) -> None:
    for accept in ("application/json", "text/html"):
        response = ada.http.get(ada.url, params=params, headers={"Authorization": f"Bearer {ada.token}",
                                                                  "Accept": accept})
        if accept == "text/html" and "query" not in params:
            assert response.status_code == 200 and "graphiql" in response.text.lower()  # the page: nothing runs
            continue
        if "subscription" in params.get("query", ""):  # a GraphQL refusal: 200, as for any invalid document
            assert response.json() == {"data": None, "errors": [{"message": SUBSCRIPTIONS_ON_WEBSOCKETS,
                                                                 "extensions": {"code": "VALIDATION"}}]}
            continue
        assert_refused(response, 400, "VALIDATION")


@pytest.mark.parametrize("operation_name", ["5", "[1]", '{"a": 1}', "true"])
def test_an_operation_name_that_is_not_a_string_is_refused(ada: GraphQL, operation_name: str) -> None:
    body = b'{"query": "query A { me { id } }", "operationName": ' + operation_name.encode() + b"}"
    assert_refused(post_raw(ada, body), 400, "VALIDATION")


def test_methods_content_types_and_paths_are_refused_in_one_shape(ada: GraphQL) -> None:
    auth = {"Authorization": f"Bearer {ada.token}"}
    base = ada.url.removesuffix("/graphql")
    for method in ("PUT", "DELETE", "PATCH"):
        assert_refused(ada.http.request(method, ada.url, json={"query": "{ me { id } }"}, headers=auth), 405,
                       "VALIDATION")
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""):
        response = ada.http.post(ada.url, content=b'{"query": "{ me { id } }"}', headers={**auth,
                                                                                          "Content-Type": content_type})
        assert_refused(response, 415, "VALIDATION")
    assert_refused(ada.http.get(base + "/nowhere"), 404, "NOT_FOUND")


@pytest.mark.parametrize("text", NOT_TEXT.values(), ids=NOT_TEXT.keys())
def test_every_string_argument_that_is_not_text_is_refused_naming_its_field(
    settings: Settings, ada: GraphQL, text: str
) -> None:
    """Every String and ID argument and input field of every root field, from the schema."""
    before = stored_events(settings)
    checked = 0
    for document in every_document():
        if document.kind == "subscription":
            continue
        for field, variables in document.with_each_string(text):
            response = post_raw(ada, json.dumps({"query": document.query, "variables": variables}).encode())
            assert_handled(response)
            errors = response.json()["errors"]
            assert errors[0]["extensions"] == {"code": "VALIDATION", "field": field}, (document.query, errors)
            assert response.json()["data"] is None
            checked += 1
    assert checked > 50 and stored_events(settings) == before


def test_a_literal_string_that_is_not_text_is_refused_naming_its_argument(ada: GraphQL) -> None:
    escaped = ada.post('{ goals(filter: {owner: "a\\u0000b"}) { edges { cursor } } }')  # a GraphQL escape
    assert escaped.json()["errors"][0]["extensions"] == {"code": "VALIDATION", "field": "owner"}
    for literal in ('"\\udfff"', '"""a\x00b"""', '"a\x00b"'):  # an escape GraphQL refuses; raw NULs
        response = post_raw(ada, json.dumps({"query": f"{{ person(id: {literal}) {{ id }} }}"}).encode())
        assert_handled(response)
        assert response.json()["errors"][0]["extensions"]["code"] == "VALIDATION", response.text


def test_a_string_that_is_not_text_is_refused_on_the_websocket_too(settings: Settings, ada: GraphQL) -> None:
    socket = Subscriptions(settings, {"Authorization": f"Bearer {ada.token}"})
    assert socket.receive() == {"type": "connection_ack"}
    socket.ws.send('{"id": "1", "type": "subscribe", "payload": {"query": "query($id: ID!) { person(id: $id) '
                   '{ id } }", "variables": {"id": "\\ud800"}}}')
    refused = socket.receive()
    assert refused["payload"]["errors"][0]["extensions"] == {"code": "VALIDATION", "field": "id"}, refused
    socket.close()


@pytest.mark.parametrize("path", [
    "/audit/goals/%00", "/audit/goals/%ED%A0%80", "/audit/export?person=%00", "/audit/export?goal=%00",
    "/audit/export?person=a&since=%00", "/audit/export?person=a&format=%00", "/audit/export?person=a&since=not-a-time",
    "/schemas/%00", "/schemas/%ED%A0%80", "/schemas/" + "x" * 5000,
    "/audit/cycles/%00", "/audit/cycles/%ED%A0%80", "/audit/cycles/" + "x" * 5000,
    "/audit/cycles/8b0f3f2e-1111-4222-8333-444455556666?team=%00",
    "/audit/cycles/8b0f3f2e-1111-4222-8333-444455556666?team=" + "x" * 5000,
])
def test_audit_and_schema_paths_and_query_strings_are_refused_typed(ada: GraphQL, path: str) -> None:
    base = ada.url.removesuffix("/graphql")
    response = ada.http.get(base + path, headers={"Authorization": f"Bearer {ada.token}"})
    assert_handled(response)
    assert response.status_code in (400, 404), response.text
    assert response.json()["errors"][0]["extensions"]["code"] in ("VALIDATION", "NOT_FOUND")
