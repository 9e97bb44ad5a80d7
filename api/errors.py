"""Every GraphQL error leaves with a stable `extensions.code`; unexpected ones are masked.
Each error is logged once by its kind: an expected refusal (VALIDATION, NOT_FOUND, FORBIDDEN,
CONFLICT, UNAUTHENTICATED, RATE_LIMITED) at INFO without a traceback, UNAVAILABLE at WARNING,
anything unexpected (INTERNAL) at ERROR with its traceback."""

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


def code_of(error: GraphQLError) -> str:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return "VALIDATION"
    if isinstance(original, DomainError | Unauthenticated | RateLimited):
        return original.code
    if isinstance(original, UNAVAILABLE_ERRORS):
        return "UNAVAILABLE"
    return "INTERNAL"


def log_error(error: GraphQLError) -> None:
    """Strawberry's process_errors hook: the error as raised, before `coded` masks it."""
    code = code_of(error)
    if code == "INTERNAL":
        log.error("unexpected error: %s", error.message, exc_info=error.original_error)
    elif code == "UNAVAILABLE":
        log.warning("unavailable: %s", error.original_error)
    else:
        log.info("refused %s: %s", code, error.message)


def coded(error: GraphQLError) -> GraphQLError:
    original, code = error.original_error, code_of(error)
    if isinstance(original, DomainError):
        extensions = {"code": code}
        if original.field:
            extensions["field"] = original.field
        return _with(error, original.message, extensions)
    if isinstance(original, Unauthenticated | RateLimited):
        return _with(error, original.message, {"code": code})
    if code == "UNAVAILABLE":
        return _with(error, "a backing service is unavailable, retry shortly", {"code": code})
    if code == "INTERNAL":
        return _with(error, "Unexpected error.", {"code": code})
    return _with(error, error.message, {"code": code})


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
