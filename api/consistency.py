"""Read-your-writes, once per request: before any resolver of a query runs, wait until the read
models include the highest sequence the request names (the `X-Momentum-Consistency` header and
every `consistency` argument of the operation, literal or variable). Every root field then
reads the same, fresh enough, read models, and the request's loaders are created after the wait,
so no resolver can cache an older answer for another to reuse."""

from __future__ import annotations

from collections import OrderedDict
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
    if document is None or (found := _arguments_of(document, operation_name)) is None:
        return 0
    values, defaults = found
    highest = 0
    for value in values:
        if isinstance(value, VariableNode):
            name = value.name.value
            highest = max(highest, _int(variables[name] if name in variables else defaults.get(name)))
        elif isinstance(value, IntValueNode):
            highest = max(highest, _int(int(value.value)))
    return highest


Arguments = tuple[list[ValueNode], dict[str, int]]  # the values of the `consistency` arguments; Int defaults
# Per (parsed document's id, operation name): the document (its id names it only while it lives,
# and the entry holds it) and what `_walked` found in it, for as many documents as api.schema
# keeps parsed, the oldest entry out first.
_FOUND: OrderedDict[tuple[int, str | None], tuple[DocumentNode, Arguments | None]] = OrderedDict()
KEPT_DOCUMENTS = 256


def _arguments_of(document: DocumentNode, operation_name: str | None) -> Arguments | None:
    """The values of every `consistency` argument of the operation and the Int defaults of its
    variables (None: the document has no such operation), walked once per parsed document."""
    key = (id(document), operation_name)
    found = _FOUND.get(key)
    if found is None or found[0] is not document:
        found = _FOUND[key] = (document, _walked(document, operation_name))
        if len(_FOUND) > KEPT_DOCUMENTS:
            _FOUND.popitem(last=False)
    return found[1]


def _walked(document: DocumentNode, operation_name: str | None) -> Arguments | None:
    if (operation := get_operation_ast(document, operation_name)) is None:
        return None
    defaults = {
        d.variable.name.value: int(d.default_value.value)
        for d in operation.variable_definitions or ()
        if isinstance(d.default_value, IntValueNode)
    }
    arguments = _Arguments(operation)
    visit(document, arguments)
    arguments.enter_leave_map.clear()  # its bound methods refer to it: a cycle that refcounting cannot free
    return arguments.values, defaults


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
