"""Read-your-writes, once per request: before any resolver of a query runs, wait until the read
models include the highest sequence the request names (the `X-Momentum-Consistency` header and
every `consistency` argument of the operation, literal or variable). Every root field then
reads the same, fresh enough, read models, and the request's loaders are created after the wait,
so no resolver can cache an older answer for another to reuse."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    IntValueNode,
    OperationDefinitionNode,
    VariableNode,
    visit,
)
from graphql.language import ArgumentNode, Visitor
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from api.errors import Unavailable

ARGUMENT = "consistency"
GRAPHQL_INT = range(-(2**31), 2**31)


class ReadYourWrites(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        run = self.execution_context
        context = run.context
        if run.operation_type is OperationType.QUERY and hasattr(context, "read_models_reached"):
            wanted = requested_sequence(run.graphql_document, run.operation_name, run.variables or {})
            try:
                await context.read_models_reached(wanted)
            except Unavailable as error:
                run.result = ExecutionResult(data=None, errors=[GraphQLError(str(error), original_error=error)])
            context.forget_cached_reads()
        yield


def requested_sequence(document: DocumentNode | None, operation_name: str | None, variables: Mapping[str, Any]) -> int:
    """The highest `consistency` the operation asks for (0: none). A value that is not a GraphQL
    Int is left to execution, which refuses it with VALIDATION."""
    if document is None:
        return 0
    operation = _operation(document, operation_name)
    if operation is None:
        return 0
    defaults = {
        d.variable.name.value: int(d.default_value.value)
        for d in operation.variable_definitions or ()
        if isinstance(d.default_value, IntValueNode)
    }
    found = [0]
    for node in [operation, *(d for d in document.definitions if isinstance(d, FragmentDefinitionNode))]:
        for value in _consistency_values(node):
            if isinstance(value, VariableNode):
                name = value.name.value
                found.append(_int(variables[name] if name in variables else defaults.get(name)))
            elif isinstance(value, IntValueNode):
                found.append(_int(int(value.value)))
    return max(found)


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)


def _consistency_values(node: Any) -> Iterator[Any]:
    values: list[Any] = []

    class Arguments(Visitor):
        def enter_argument(self, argument: ArgumentNode, *_: Any) -> None:
            if argument.name.value == ARGUMENT:
                values.append(argument.value)

    visit(node, Arguments())
    yield from values


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return 0
    return value if value in GRAPHQL_INT else 0
