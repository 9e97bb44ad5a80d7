"""Read-your-writes, once per request: before any resolver of a query runs, wait until the read
models include the highest sequence the request names (the `X-Momentum-Consistency` header and
every `consistency` argument of the operation, literal or variable). Every root field then
reads the same, fresh enough, read models, and the request's loaders are created after the wait,
so no resolver can cache an older answer for another to reuse."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    IntValueNode,
    OperationDefinitionNode,
    ValueNode,
    VariableNode,
    Visitor,
    get_operation_ast,
    visit,
)
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from api.context import Context
from api.errors import Unavailable

ARGUMENT = "consistency"
GRAPHQL_INT = range(-(2**31), 2**31)


class ReadYourWrites(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        run = self.execution_context
        context = run.context
        if isinstance(context, Context):  # a websocket's context serves many operations: each reads afresh
            if run.operation_type is OperationType.QUERY:
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
    if document is None or (operation := get_operation_ast(document, operation_name)) is None:
        return 0
    defaults = {
        d.variable.name.value: int(d.default_value.value)
        for d in operation.variable_definitions or ()
        if isinstance(d.default_value, IntValueNode)
    }
    arguments = _Arguments(operation)
    visit(document, arguments)
    arguments.enter_leave_map.clear()  # its bound methods refer to it: a cycle that refcounting cannot free
    found = [0]
    for value in arguments.values:
        if isinstance(value, VariableNode):
            name = value.name.value
            found.append(_int(variables[name] if name in variables else defaults.get(name)))
        elif isinstance(value, IntValueNode):
            found.append(_int(int(value.value)))
    return max(found)


class _Arguments(Visitor):
    """The values of every `consistency` argument of `operation` and of the document's fragments."""

    def __init__(self, operation: OperationDefinitionNode) -> None:
        super().__init__()
        self.operation = operation
        self.values: list[ValueNode] = []

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> Any:
        return None if node is self.operation else self.SKIP

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        if node.name.value == ARGUMENT:
            self.values.append(node.value)


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return 0
    return value if value in GRAPHQL_INT else 0
