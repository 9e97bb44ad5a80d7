"""Queries, served from the read models; every goal read applies the visibility rule."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from api.context import Context
from api.inputs import GoalFilterInput
from api.loaders import by_goal, loaders
from api.types import (
    Cycle,
    Goal,
    GoalConnection,
    GoalEdge,
    GoalTreeNode,
    Me,
    PageInfo,
    Person,
    Team,
    person,
    team,
)
from domain.errors import ValidationError
from projections import reader
from projections.rollup import RollUp

MAX_PAGE = 100
CURSOR_PREFIX = "goal:"
Row = dict[str, Any]


def viewer(context: Context) -> reader.Viewer:
    return reader.Viewer(context.actor.id, context.actor.is_admin)


def encode_cursor(sequence: int, prefix: str = CURSOR_PREFIX) -> str:
    return base64.urlsafe_b64encode(f"{prefix}{sequence}".encode()).decode()


def decode_cursor(cursor: str | None, prefix: str = CURSOR_PREFIX) -> int:
    if cursor is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if text.startswith(prefix):
            return int(text[len(prefix) :])
    except (ValueError, UnicodeDecodeError):
        pass
    raise ValidationError(f"{cursor!r} is not a cursor of this connection", field="after")


def page_size(first: int, most: int = MAX_PAGE) -> int:
    """`first`, if it is a page size this connection serves."""
    if not 0 <= first <= most:
        raise ValidationError(f"first must be between 0 and {most}", field="first")
    return first


def require_uuid(value: Any, field: str) -> str:
    try:
        return str(UUID(str(value)))
    except ValueError:
        raise ValidationError(f"{value!r} is not a valid id", field=field) from None


@strawberry.type
class Query:
    @strawberry.field
    async def goal(
        self, info: Info[Context, None], id: strawberry.ID, consistency: int | None = None
    ) -> Goal | None:
        goal_id = require_uuid(id, "id")
        async with info.context.pool.connection() as conn:
            row = await reader.goal(conn, viewer(info.context), goal_id)
        return None if row is None else Goal.of(row)

    @strawberry.field(
        description="Visible goals in creation order, a page at a time (Relay cursors)."
    )
    async def goals(
        self,
        info: Info[Context, None],
        filter: GoalFilterInput | None = None,
        first: int = 20,
        after: str | None = None,
        consistency: int | None = None,
    ) -> GoalConnection:
        page_size(first)
        where = filter or GoalFilterInput()
        async with info.context.pool.connection() as conn:
            rows = await reader.goals_page(
                conn,
                viewer(info.context),
                reader.GoalFilter(
                    cycle=None if where.cycle is None else require_uuid(where.cycle, "cycle"),
                    owner=None if where.owner is None else str(where.owner),
                    team=None if where.team is None else str(where.team),
                    state=None if where.state is None else where.state.value,
                    stale=where.stale,
                ),
                after=decode_cursor(after),
                limit=first + 1,
                now=datetime.now(UTC),
                stale_days=info.context.services.settings.stale_after_days,
            )
        edges = [
            GoalEdge(cursor=encode_cursor(r["created_sequence"]), node=Goal.of(r))
            for r in rows[:first]
        ]
        return GoalConnection(edges=edges, page_info=PageInfo.of(edges, has_next_page=len(rows) > first))

    @strawberry.field(
        description="The cycle's alignment tree of visible goals, with rolled-up progress."
    )
    async def goal_tree(
        self, info: Info[Context, None], cycle_id: strawberry.ID, consistency: int | None = None
    ) -> list[GoalTreeNode]:
        cycle = require_uuid(cycle_id, "cycleId")
        async with info.context.pool.connection() as conn:
            rows = await reader.cycle_goals(conn, viewer(info.context), cycle)
            results = await reader.key_results(conn, [str(r["id"]) for r in rows])
        return tree(info.context, rows, results)

    @strawberry.field
    async def cycle(
        self, info: Info[Context, None], id: strawberry.ID, consistency: int | None = None
    ) -> Cycle | None:
        cycle_id = require_uuid(id, "id")
        row = await loaders(info.context).cycles.load(cycle_id)
        return None if row is None else Cycle.of(row)

    @strawberry.field
    async def person(
        self, info: Info[Context, None], id: strawberry.ID, consistency: int | None = None
    ) -> Person | None:
        return await person(info, str(id))

    @strawberry.field
    async def team(
        self, info: Info[Context, None], id: strawberry.ID, consistency: int | None = None
    ) -> Team | None:
        return await team(info, str(id))

    @strawberry.field(description="The caller, as the token says, and as the directory knows them.")
    async def me(self, info: Info[Context, None]) -> Me:
        return Me(id=strawberry.ID(info.context.actor.id), roles=sorted(info.context.actor.roles))


def tree(context: Context, rows: list[Row], results: list[Row]) -> list[GoalTreeNode]:
    """Nodes for the visible goals; a visible goal under an invisible parent becomes a root.
    Invisible goals still count in their parent's roll-up."""
    roll_up = RollUp(rows, results)
    found, results_of = loaders(context), by_goal(results)
    for row in rows:
        goal_id = str(row["id"])
        found.progress.prime(goal_id, roll_up.progress(goal_id))
        found.key_results.prime(goal_id, results_of[goal_id])
    visible = {str(r["id"]): r for r in rows if r["visible"]}
    nodes = {
        i: GoalTreeNode(goal=Goal.of(r), progress=roll_up.progress(i), children=[])
        for i, r in visible.items()
    }
    roots: list[GoalTreeNode] = []
    for goal_id, row in visible.items():
        parent = None if row["parent_id"] is None else str(row["parent_id"])
        (nodes[parent].children if parent in nodes else roots).append(nodes[goal_id])
    return roots
