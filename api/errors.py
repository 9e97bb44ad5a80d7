"""Every GraphQL error leaves with a stable `extensions.code`; unexpected ones are masked."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import psycopg
from eventsourcing import persistence as es
from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension

from api.auth import Unauthenticated
from domain.errors import DomainError

log = logging.getLogger(__name__)


class Unavailable(Exception):
    code = "UNAVAILABLE"


UNAVAILABLE_ERRORS = (
    Unavailable,
    psycopg.OperationalError,
    es.OperationalError,
    es.InterfaceError,
    TimeoutError,
)


def coded(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return _with(error, error.message, {"code": "VALIDATION"})
    if isinstance(original, DomainError):
        extensions = {"code": original.code}
        if original.field:
            extensions["field"] = original.field
        return _with(error, original.message, extensions)
    if isinstance(original, Unauthenticated):
        return _with(error, original.message, {"code": original.code})
    if isinstance(original, UNAVAILABLE_ERRORS):
        log.warning("unavailable: %s", original)
        return _with(error, "a backing service is unavailable, retry shortly", {"code": "UNAVAILABLE"})
    log.error("unexpected error", exc_info=original)
    return _with(error, "Unexpected error.", {"code": "INTERNAL"})


def _with(error: GraphQLError, message: str, extensions: dict[str, str]) -> GraphQLError:
    return GraphQLError(
        message, nodes=error.nodes, path=error.path, original_error=None, extensions=extensions
    )


class ErrorCodes(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [coded(e) for e in result.errors]
