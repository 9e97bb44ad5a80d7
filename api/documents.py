"""A document with several operations must say which one to run (`operationName`): without it,
strawberry would run the first; graphql-over-HTTP and graphql-core refuse it, and so do we, on
every transport (the schema marks each request, see api/schema.MomentumSchema)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

NAME_GIVEN = "momentum:operationNameGiven"  # set by the schema on every request, never by a client


def marked(operation_extensions: dict[str, Any] | None, operation_name: str | None) -> dict[str, Any]:
    """The request's extensions with NAME_GIVEN set (overwriting whatever a client sent)."""
    return {**(operation_extensions or {}), NAME_GIVEN: operation_name is not None}


class OneOperationOrAName(SchemaExtension):
    """Listed after ValidationCache, whose validation errors it adds to."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)] if document else []
        if len(operations) > 1 and not (context.operation_extensions or {}).get(NAME_GIVEN):
            refusal = GraphQLError("the document has several operations: say which to run with operationName")
            context.pre_execution_errors = [*(context.pre_execution_errors or []), refusal]
        yield
