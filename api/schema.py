"""The GraphQL schema: goal queries and mutations. Resolvers only translate; rules live below."""

from __future__ import annotations

import asyncio
import enum
from datetime import datetime
from typing import Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from api.context import Context
from api.errors import ErrorCodes
from application.momentum import Stored
from domain.errors import ValidationError
from projections.goal_store import GoalReader

reader = GoalReader()


@strawberry.enum
class Visibility(enum.Enum):
    PUBLIC = "public"
    TEAM = "team"
    PRIVATE = "private"


@strawberry.type
class CheckIn:
    version: int
    progress: float
    confidence: int | None
    note: str
    blockers: str
    actor: strawberry.ID
    recorded_at: datetime
    sequence: int


@strawberry.type
class Goal:
    id: strawberry.ID
    title: str
    description: str
    owner_id: strawberry.ID
    owner_kind: str
    visibility: Visibility
    status: str
    progress: float
    confidence: int | None
    check_in_count: int
    created_at: datetime
    updated_at: datetime
    last_check_in_at: datetime | None
    version: int
    sequence: int

    @strawberry.field(description="Every check-in, oldest first; history is never overwritten.")
    async def check_ins(self, info: Info[Context, None]) -> list[CheckIn]:
        async with info.context.pool.connection() as conn:
            rows = await reader.check_ins(conn, str(self.id))
        return [CheckIn(**{k: v for k, v in r.items() if k != "goal_id"}) for r in rows]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Goal:
        fields = {k: v for k, v in row.items() if k != "last_sequence"}
        fields["id"] = strawberry.ID(str(row["id"]))
        fields["visibility"] = Visibility(row["visibility"])
        return cls(**fields, sequence=row["last_sequence"])


@strawberry.type(description="What a mutation stored.")
class GoalWrite:
    goal_id: strawberry.ID
    version: int
    sequence: int | None = strawberry.field(
        description="Global position of the stored event; pass it as `consistency` to read your write."
    )

    @classmethod
    def of(cls, stored: Stored) -> GoalWrite:
        return cls(goal_id=strawberry.ID(str(stored.aggregate_id)), version=stored.version, sequence=stored.sequence)


@strawberry.input
class CreateGoalInput:
    title: str
    description: str = ""
    owner_id: strawberry.ID | None = None
    visibility: Visibility = Visibility.PUBLIC


@strawberry.input
class RecordCheckInInput:
    goal_id: strawberry.ID
    progress: float
    confidence: int | None = None
    note: str = ""
    blockers: str = ""


@strawberry.input
class ChangeGoalTitleInput:
    goal_id: strawberry.ID
    title: str
    reason: str = ""


def _may_see(context: Context, row: dict[str, Any]) -> bool:
    actor = context.actor
    return row["visibility"] != "private" or row["owner_id"] == actor.id or actor.is_admin


@strawberry.type
class Query:
    @strawberry.field
    async def goal(
        self, info: Info[Context, None], id: strawberry.ID, consistency: int | None = None
    ) -> Goal | None:
        _require_uuid(id, "id")
        await info.context.read_models_reached(consistency)
        async with info.context.pool.connection() as conn:
            row = await reader.goal(conn, str(id))
        if row is None or not _may_see(info.context, row):
            return None
        return Goal.from_row(row)


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_goal(self, info: Info[Context, None], input: CreateGoalInput) -> GoalWrite:
        ctx = info.context
        stored = await asyncio.to_thread(
            ctx.momentum.create_goal,
            ctx.actor,
            title=input.title,
            description=input.description,
            owner_id=None if input.owner_id is None else str(input.owner_id),
            visibility=input.visibility.value,
        )
        return GoalWrite.of(stored)

    @strawberry.mutation
    async def record_check_in(self, info: Info[Context, None], input: RecordCheckInInput) -> GoalWrite:
        ctx = info.context
        stored = await asyncio.to_thread(
            ctx.momentum.record_check_in,
            ctx.actor,
            str(input.goal_id),
            progress=input.progress,
            confidence=input.confidence,
            note=input.note,
            blockers=input.blockers,
        )
        return GoalWrite.of(stored)

    @strawberry.mutation
    async def change_goal_title(self, info: Info[Context, None], input: ChangeGoalTitleInput) -> GoalWrite:
        ctx = info.context
        stored = await asyncio.to_thread(
            ctx.momentum.change_goal_title, ctx.actor, str(input.goal_id), input.title, input.reason
        )
        return GoalWrite.of(stored)


def _require_uuid(value: str, field: str) -> None:
    try:
        UUID(str(value))
    except ValueError:
        raise ValidationError(f"{value!r} is not a valid id", field=field) from None


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(query=Query, mutation=Mutation, extensions=[ErrorCodes])
