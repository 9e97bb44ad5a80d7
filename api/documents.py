"""A document with several operations must say which one to run (`operationName`): without it,
strawberry would run the first; graphql-over-HTTP and graphql-core refuse it, and so do we, on
every transport (the schema marks each request, see api/schema.MomentumSchema)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import suppress
from functools import lru_cache
from typing import Any

from graphql import DocumentNode, GraphQLError, OperationDefinitionNode, parse
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


class CachedParse(SchemaExtension):
    """The parsed document of a query text seen before (with the same options, e.g. max_tokens),
    shared by every request: parsing was a tenth of a small query's time. A text that does not
    parse is not cached: strawberry parses it again and answers its error (VALIDATION, e.g. too
    many tokens) as without the cache. strawberry's ParserCache would raise it outside that
    handling instead."""

    def __init__(self, parse_cached: Callable[..., DocumentNode]) -> None:
        self.parse_cached = parse_cached

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query is not None:
            with suppress(GraphQLError):  # strawberry's own parse raises it again, where it is answered with a code
                context.graphql_document = self.parse_cached(context.query, **context.parse_options)
        yield


def document_cache(size: int) -> Callable[..., DocumentNode]:
    """`parse`, remembering the documents of the `size` texts parsed most recently."""
    return lru_cache(maxsize=size)(parse)
