"""The GraphQL schema: queries and a mutation per command; resolvers only translate."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from api.audit_queries import AuditQuery
from api.errors import ErrorCodes
from api.feedback_api import FeedbackMutation, FeedbackQuery
from api.mutations import Mutation as GoalMutations
from api.queries import Query as GoalQueries
from api.types import GoalWrite, Visibility

__all__ = ["GoalWrite", "Visibility", "build_schema"]


@strawberry.type
class Query(FeedbackQuery, GoalQueries):
    pass


@strawberry.type
class Mutation(FeedbackMutation, GoalMutations):
    pass


def build_schema() -> strawberry.Schema:
    query = merge_types("Query", (Query, AuditQuery))
    return strawberry.Schema(query=query, mutation=Mutation, extensions=[ErrorCodes])
