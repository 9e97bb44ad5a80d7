"""The GraphQL schema: queries, a mutation per command, subscriptions; resolvers only translate."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import strawberry
from graphql import ASTValidationRule, GraphQLError, ValidationContext
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    SchemaExtension,
    ValidationCache,
    max_aliases,
    query_depth_limiter,
)
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.printer import print_schema
from strawberry.schema.schema import StreamResult
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from api import descriptions as d
from api.audit.queries import AuditQuery
from api.consistency import ReadYourWrites
from api.directory.mutations import CycleMutation, DirectoryMutation
from api.directory.queries import DirectoryQuery
from api.documents import CachedParse, OneOperationOrAName, document_cache, marked
from api.engagement import EngagementQuery
from api.errors import ErrorCodes, log_error
from api.execution import PlainFieldsInPlace
from api.faults import FaultQuery
from api.feedback.mutations import FeedbackMutation
from api.feedback.queries import FeedbackQuery
from api.gate import OperationGate
from api.goals.cadence import CadenceQuery
from api.goals.mutations import GoalMutation
from api.goals.queries import GoalQuery
from api.hooks import CachedHooksRunner
from api.insight.queries import InsightQuery
from api.integrations.mutations import IntegrationMutation
from api.integrations.queries import IntegrationQuery
from api.subscriptions import Subscription
from settings import Settings

CACHED_DOCUMENTS = 256  # distinct documents whose parse and validation are kept


class MomentumSchema(strawberry.Schema):
    """Every transport executes through `execute` or `stream`: both tell the extensions whether
    the request named its operation (api/documents.py). Synchronous execution (tools and tests:
    no read models to wait for) runs without ReadYourWrites, whose wait is asynchronous."""

    def get_extensions(self, sync: bool = False) -> list[SchemaExtension]:
        found = super().get_extensions(sync)
        return [e for e in found if not (sync and isinstance(e, ReadYourWrites))]

    async def execute(  # noqa: PLR0917
        self, query: str | None, variable_values: dict[str, Any] | None = None, context_value: Any | None = None,
        root_value: Any | None = None, operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        return await super().execute(
            query, variable_values, context_value, root_value, operation_name, allowed_operation_types,
            marked(operation_extensions, operation_name),
        )

    async def stream(  # noqa: PLR0917
        self, query: str | None, variable_values: dict[str, Any] | None = None, context_value: Any | None = None,
        root_value: Any | None = None, operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
    ) -> StreamResult:
        return await super().stream(
            query, variable_values, context_value, root_value, operation_name,
            marked(operation_extensions, operation_name), allowed_operation_types,
        )

    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        return CachedHooksRunner(execution_context=execution_context, extensions=extensions)

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Each error once, at the level its kind deserves (api/errors.log_error), not all at ERROR."""
        for error in errors:
            log_error(error)


@strawberry.type
class Query(FeedbackQuery, GoalQuery, InsightQuery, CadenceQuery, EngagementQuery, DirectoryQuery, IntegrationQuery):
    pass


@strawberry.type(description=d.MUTATION)
class Mutation(FeedbackMutation, GoalMutation, CycleMutation, DirectoryMutation, IntegrationMutation):
    pass


@strawberry.type
class QueryWithFaults(FaultQuery, Query):
    pass


def build_schema(
    settings: Settings | None = None, on_error_code: Callable[[str], None] | None = None
) -> strawberry.Schema:
    settings = settings or Settings()
    # The limit rules are made once, so that every request validates with the same rules and
    # ValidationCache can answer for a document it has seen (validation was half a mutation's time).
    limits: list[type[ASTValidationRule]] = [
        spreads_known_fragments_only(
            query_depth_limiter.create_validator(settings.graphql_max_depth, should_ignore=None)
        ),
        max_aliases.create_validator(settings.graphql_max_aliases),
    ]
    extensions: list[Any] = [
        partial(ErrorCodes, on_code=on_error_code),
        OperationGate,
        partial(MaxTokensLimiter, max_token_count=settings.graphql_max_tokens),
        partial(CachedParse, document_cache(CACHED_DOCUMENTS)),
        partial(AddValidationRules, limits),
        partial(ValidationCache, maxsize=CACHED_DOCUMENTS),
        OneOperationOrAName,
        ReadYourWrites,
    ]
    if not settings.graphql_introspection:
        extensions.append(DisableIntrospection)
    roots = (QueryWithFaults if settings.fault_injection else Query, AuditQuery)
    query = strawberry.type(type("Query", roots, {}), description=d.QUERY)
    return MomentumSchema(
        query=query, mutation=Mutation, subscription=Subscription, extensions=extensions,
        execution_context_class=PlainFieldsInPlace,
    )


def spreads_known_fragments_only(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    """strawberry's depth rule follows every fragment spread by name while it is made, and fails
    with a KeyError on a name the document does not define: an untyped error, before graphql-core's
    KnownFragmentNames could refuse the document with VALIDATION. Such a document is left to it."""

    class KnownFragmentsOnly(rule):  # type: ignore[valid-type, misc]
        def __init__(self, context: ValidationContext) -> None:
            try:
                super().__init__(context)
            except KeyError:  # a spread of an unknown fragment: KnownFragmentNames reports it
                ASTValidationRule.__init__(self, context)

    return KnownFragmentsOnly


def contract() -> str:
    """The SDL frontends build against (schema.graphql): the schema with default settings."""
    return print_schema(build_schema(Settings.model_construct())) + "\n"
