"""Valid text at the API boundary, and the operation gate, on the schema without I/O."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest
from graphql import parse

from api.context import Context, Services
from api.schema import build_schema
from api.valid_text import first_invalid_string
from application.identity import Actor
from settings import Settings


@pytest.mark.parametrize(("query", "variables", "field"), [
    ('{ goal(id: "ok") { id } }', {}, None),
    ('{ goal(id: "a\\u0000") { id } }', {}, "id"),
    ('{ goals(filter: {owner: "\\u0000", team: "t"}) { edges { cursor } } }', {}, "owner"),
    ('query($x: String = "\\u0000") { me { id } }', {}, "x"),
    ("query($i: CreateGoalInput!) { me { id } }", {"i": {"title": "ok", "keyResults": [{"name": "\ud800"}]}}, "name"),
    ("query($i: CreateGoalInput!) { x: me { id } }", {"i": {"ti\x00tle": "ok"}}, "i"),
    ("query($id: ID!) { goal(id: $id) { id } }", {"id": "\udfff"}, "id"),
    ("query($v: String) { me { id } }", {"v": [[[["\x00"]]]]}, "v"),
])
def test_the_first_string_that_is_not_text_is_named(query: str, variables: dict[str, Any], field: str | None) -> None:
    assert first_invalid_string(query, parse(query), variables) == field


def test_variables_nested_deeper_than_the_recursion_limit_are_walked() -> None:
    deep: Any = "\x00"
    for _ in range(5000):
        deep = [deep]
    assert first_invalid_string("{ me { id } }", parse("{ me { id } }"), {"v": deep}) == "v"


def execute(query: str, actor: Actor | None, **variables: Any) -> Any:
    services = Services(settings=Settings(), momentum=cast(Any, None), pool=cast(Any, None))
    context = Context(services, actor, None)
    return asyncio.run(build_schema().execute(query, variables, context_value=context))


def test_an_operation_of_a_context_that_was_not_admitted_executes_nothing() -> None:
    result = execute("{ __typename }", None)
    assert result.data is None and [e.extensions["code"] for e in result.errors] == ["UNAUTHENTICATED"]


def test_an_admitted_operation_with_text_that_is_not_valid_executes_nothing() -> None:
    result = execute("query($v: ID!) { goal(id: $v) { id } }", Actor(id="ada"), v="\x00")  # no pool: nothing may run
    assert result.data is None and result.errors[0].extensions == {"code": "VALIDATION", "field": "v"}
    assert execute("{ __typename }", Actor(id="ada")).data == {"__typename": "Query"}
