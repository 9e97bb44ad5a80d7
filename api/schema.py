"""The GraphQL schema: queries, a mutation per command, subscriptions; resolvers only translate."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import strawberry
from graphql import ASTValidationRule
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ValidationCache,
    max_aliases,
    query_depth_limiter,
)
from strawberry.printer import print_schema
from strawberry.tools import merge_types

from api.audit_queries import AuditQuery
from api.consistency import ReadYourWrites, Schema
from api.errors import ErrorCodes
from api.faults import FaultQuery
from api.feedback_api import FeedbackMutation, FeedbackQuery
from api.mutations import Mutation as GoalMutations
from api.queries import Query as GoalQueries
from api.subscriptions import Subscription
from settings import Settings

CACHED_DOCUMENTS = 256  # distinct documents whose validation is kept


@strawberry.type
class Query(FeedbackQuery, GoalQueries):
    pass


@strawberry.type
class Mutation(FeedbackMutation, GoalMutations):
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
        query_depth_limiter.create_validator(settings.graphql_max_depth, should_ignore=None),
        max_aliases.create_validator(settings.graphql_max_aliases),
    ]
    extensions: list[Any] = [
        partial(ErrorCodes, on_code=on_error_code),
        partial(MaxTokensLimiter, max_token_count=settings.graphql_max_tokens),
        partial(AddValidationRules, limits),
        partial(ValidationCache, maxsize=CACHED_DOCUMENTS),
        ReadYourWrites,
    ]
    if not settings.graphql_introspection:
        extensions.append(DisableIntrospection)
    query = merge_types("Query", (QueryWithFaults if settings.fault_injection else Query, AuditQuery))
    return Schema(query=query, mutation=Mutation, subscription=Subscription, extensions=extensions)


def contract() -> str:
    """The SDL frontends build against (schema.graphql): the schema with default settings."""
    return print_schema(build_schema(Settings.model_construct())) + "\n"
