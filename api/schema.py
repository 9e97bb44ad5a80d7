"""The GraphQL schema: queries and a mutation per command; resolvers only translate."""

from __future__ import annotations

import strawberry

from api.errors import ErrorCodes
from api.mutations import Mutation
from api.queries import Query
from api.types import GoalWrite, Visibility

__all__ = ["GoalWrite", "Visibility", "build_schema"]


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(query=Query, mutation=Mutation, extensions=[ErrorCodes])
