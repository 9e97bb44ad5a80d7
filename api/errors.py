"""Every GraphQL error leaves with a stable `extensions.code`; unexpected ones are masked."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
from eventsourcing import persistence as es
from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension

from api.auth import Unauthenticated
from api.limits import RateLimited
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
    if isinstance(original, Unauthenticated | RateLimited):
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
    """Gives every error of a result its code; `on_code` is told each code (for metrics)."""

    def __init__(self, on_code: Callable[[str], None] | None = None) -> None:
        self.on_code = on_code

    def on_operation(self) -> Iterator[None]:
        yield
        self._code(self.execution_context.result)

    def on_stream_result(self, result: Any) -> Iterator[None]:
        """Each result a subscription yields, before it is sent."""
        self._code(result)
        yield

    def _code(self, result: Any) -> None:
        if result is None or not result.errors:
            return
        result.errors = [coded(e) for e in result.errors]
        for error in result.errors:
            if self.on_code is not None and error.extensions:
                self.on_code(str(error.extensions["code"]))
