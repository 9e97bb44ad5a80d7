"""The one authentication gate that every way in passes: each HTTP request to /graphql (GET,
whatever its Accept, and POST) and to /audit, a websocket at `connection_init` and each
operation sent on it afterwards. Only GraphiQL's page (a GET without a query) is served
without a token, and it executes nothing.

Behind the transports, `OperationGate` checks every operation before any resolver runs: it
must come from an admitted actor whose token has not expired, and every string it carries
must be valid text (api.valid_text)."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import FieldNode, GraphQLError, get_operation_ast
from graphql.language.ast import OperationType as OperationKind
from starlette.websockets import WebSocket
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionContext
from strawberry.types.graphql import OperationType

from api.auth import Session, TokenVerifier, Unauthenticated
from api.context import Context
from api.limits import RateLimiter
from api.valid_text import first_invalid_string, not_text
from application.identity import Actor
from domain.errors import ForbiddenError, ValidationError
from domain.integrations import INTEGRATION_ROLE

INTEGRATION_FIELDS = frozenset({"recordMeasurements", "__typename"})


def integration_refusal(actor: Actor) -> ForbiddenError | None:
    """A service account's token runs recordMeasurements and nothing else, whichever way it comes in."""
    if INTEGRATION_ROLE in actor.roles:
        return ForbiddenError("an integration's token may only run recordMeasurements")
    return None


class Gate:
    """Verifies a bearer token and takes one token of its subject's rate limit."""

    def __init__(self, verifier: TokenVerifier, limiter: RateLimiter | None) -> None:
        self.verifier = verifier
        self.limiter = limiter

    async def admit(self, authorization: object) -> Session:
        """An HTTP request, or a websocket's connection_init (raises Unauthenticated, RateLimited)."""
        session = await self.verifier.session_from_header(authorization)
        self._take(session)
        return session

    def readmit(self, session: Session) -> None:
        """Each operation sent on an open websocket: its token must still be valid, and the
        operation shares the subject's rate limit with every other request."""
        session.require_unexpired()
        self._take(session)

    def _take(self, session: Session) -> None:
        if self.limiter is not None:
            self.limiter.take(session.actor.id)


class OperationGate(SchemaExtension):
    """Refuses an operation before execution: no admitted actor or an expired token is
    UNAUTHENTICATED; a string that is not valid text is VALIDATION, naming its field, and so is
    a subscription sent over HTTP (strawberry would run it there, and fail); an integration's token
runs nothing but recordMeasurements (FORBIDDEN)."""

    def on_execute(self) -> Iterator[None]:
        refusal = self._refusal()
        if refusal is not None:
            refuse(self.execution_context, refusal)
        yield

    def _refusal(self) -> Exception | None:
        context, execution = self.execution_context.context, self.execution_context
        if isinstance(context, Context):  # a bare schema.execute without one (tools, tests) is no request
            try:
                context.require_unexpired_token()
            except Unauthenticated as error:
                return error
        if execution.operation_type is OperationType.SUBSCRIPTION and not streamed(context):
            return ValidationError("subscriptions are served on the websocket (graphql-transport-ws) only")
        assert execution.graphql_document is not None
        if isinstance(context, Context) and not _records_only(execution) and (
            (refused := integration_refusal(context.actor)) is not None
        ):
            return refused
        field = first_invalid_string(execution.query or "", execution.graphql_document, execution.variables)
        return None if field is None else not_text(field)


def _records_only(execution: ExecutionContext) -> bool:
    """Whether the operation is a mutation whose every root selection is recordMeasurements."""
    assert execution.graphql_document is not None
    operation = get_operation_ast(execution.graphql_document, execution.operation_name)
    return (
        operation is not None and operation.operation is OperationKind.MUTATION
        and all(isinstance(s, FieldNode) and s.name.value in INTEGRATION_FIELDS
                for s in operation.selection_set.selections)
    )


def refuse(execution: ExecutionContext, error: Exception) -> None:
    """Ends the operation with `error` (coded by api.errors.ErrorCodes) before any resolver runs.
    Strawberry does not execute an operation whose result is already set, except a subscription
    it streams (on a websocket): that one it answers with the error on_execute raises."""
    if execution.operation_type is OperationType.SUBSCRIPTION and streamed(execution.context):
        raise error
    execution.result = GraphQLExecutionResult(data=None, errors=[GraphQLError(str(error), original_error=error)])


def streamed(context: object) -> bool:
    return isinstance(context, Context) and isinstance(context.request, WebSocket)
