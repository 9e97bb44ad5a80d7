"""The GraphQL schema: queries and a mutation per command; resolvers only translate."""

from __future__ import annotations

import strawberry

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
    return strawberry.Schema(query=Query, mutation=Mutation, extensions=[ErrorCodes])
