"""Every query document the test suites and the bench send, answered by the API's execution
(plain fields in one loop per selection set, api/execution.py) and by graphql-core's own
field-by-field execution, on a seeded month of activity in the real PostgreSQL: the same data in
the same key order and the same errors, for an admin and for people who see less."""

from __future__ import annotations

import ast
import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    DocumentNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    parse,
    type_from_ast,
    validate,
)
from graphql import GraphQLNonNull as NonNull
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.context import Context, Services
from api.execution import PlainFieldsInPlace
from api.schema import build_schema
from application.identity import Actor
from application.momentum import Momentum
from bench import api_scenarios
from bootstrap import build_api_pool
from settings import Settings
from tests.integration.org import ADMIN
from tests.integration.readside import envelopes, project
from tests.integration.scenario import clock as clock  # the fixture, for seed
from tests.integration.scenario import seed

ROOT = Path(__file__).resolve().parents[2]
VIEWERS = (ADMIN, Actor("ada"), Actor("pat"))
SAMPLES: dict[str, Any] = {"String": "x", "Int": 5, "Float": 1.5, "Boolean": True, "Date": "2027-03-15",
                           "DateTime": "2027-03-15T10:00:00+00:00"}


def query_documents(schema: GraphQLSchema) -> dict[str, DocumentNode]:
    """The string constants of tests/ and bench/ that are valid query documents of the schema."""
    found: dict[str, DocumentNode] = {}
    for path in sorted([*(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and "{" in node.value):
                continue
            try:
                document = parse(node.value)
            except GraphQLError:
                continue
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            is_query = len(operations) == 1 and operations[0].operation == OperationType.QUERY
            if is_query and not validate(schema, document):
                found[node.value] = document
    return found


def variables_for(schema: GraphQLSchema, document: DocumentNode, ids: dict[str, str]) -> dict[str, Any] | None:
    """A value for each required variable (an id of the seed for an ID); None if one is an input object."""
    values: dict[str, Any] = {}
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    for definition in operation.variable_definitions or ():
        kind = type_from_ast(schema, definition.type)
        if not isinstance(kind, NonNull) or definition.default_value is not None:
            continue
        named = kind.of_type
        while hasattr(named, "of_type"):
            named = named.of_type
        name = definition.variable.name.value
        if named.name == "ID":
            values[name] = ids.get(name, ids["goal"])
        elif named.name in SAMPLES:
            values[name] = SAMPLES[named.name]
        elif isinstance(named, GraphQLEnumType):
            values[name] = next(iter(named.values))
        else:
            return None
        if "List" in type(kind.of_type).__name__:
            values[name] = [values[name]]
    return values


async def both_answers(settings: Settings, momentum: Momentum, runs: list[tuple[str, dict[str, Any]]]) -> Any:
    pool = build_api_pool(settings, min_size=1, max_size=4)
    await pool.open()
    services = Services(settings=settings, momentum=momentum, pool=pool)
    in_one_loop, field_by_field = build_schema(settings), build_schema(settings)
    assert in_one_loop.execution_context_class is PlainFieldsInPlace
    field_by_field.execution_context_class = StrawberryGraphQLCoreExecutionContext

    async def answer(schema: Any, text: str, variables: dict[str, Any], viewer: Actor) -> Any:
        result = await schema.execute(text, variables, context_value=Context(services, viewer, None))
        errors = [(e.message, e.path, e.extensions) for e in result.errors or []]
        return json.dumps(result.data), sorted(errors, key=repr)

    try:
        return [
            (text, viewer.id, await answer(in_one_loop, text, variables, viewer),
             await answer(field_by_field, text, variables, viewer))
            for text, variables in runs for viewer in VIEWERS
        ]
    finally:
        await pool.close()


@pytest.mark.usefixtures("clock")
def test_every_query_document_of_the_suites_answers_the_same_in_one_loop(
    momentum: Momentum, settings: Settings
) -> None:
    ids = seed(momentum)
    project(settings, envelopes(momentum, settings))
    schema = build_schema(settings)._schema
    documents = query_documents(schema)
    assert api_scenarios.PAGE in documents and api_scenarios.GOAL in documents
    runs = [(text, v) for text, doc in documents.items() if (v := variables_for(schema, doc, ids)) is not None]
    assert len(runs) >= 60, len(runs)
    answered = asyncio.run(both_answers(settings, momentum, runs))
    different = [(text, viewer) for text, viewer, fast, general in answered if fast != general]
    assert not different, different
    with_data = [fast for _, _, fast, _ in answered if fast[0] != "null"]
    assert len(with_data) > len(answered) / 2  # most documents find something in the seed
