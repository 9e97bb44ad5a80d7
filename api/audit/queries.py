"""Audit queries: timelines from the audit read model, time travel from the event store."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any

import strawberry
from psycopg import AsyncConnection
from strawberry.types import Info

from api import descriptions as d
from api.audit.rollup_as_of import roll_up
from api.audit.types import GoalAsOf, GoalAsOfNode, TimelineConnection, TimelineEdge, TimelineEntry
from api.context import Context
from api.resolvers import Window, require_uuid
from application.access import OwnerFacts
from application.audit import is_auditor, require_activity_reader, require_auditor, require_history_reader
from application.identity import Actor
from domain.errors import NotFoundError
from domain.goal import Goal
from projections.goals import queries as goal_reader
from projections.goals.queries import Viewer
from projections.timeline import queries as audit_reader
from projections.timeline.queries import Scope

MAX_PAGE = 200
CURSOR_PREFIX = "timeline:"
TimelineFirst = Annotated[int, strawberry.argument(description=d.first_of(MAX_PAGE))]


async def require_goal_history_reader(conn: AsyncConnection[Any], actor: Actor, goal: str) -> None:
    """The goal has a history, and `actor` may read it (auditors, admins, the owner). A goal
    the actor may not see at all is not found, worded as an id that does not exist."""
    owner = await audit_reader.goal_owner(conn, goal)
    if owner is None or not (is_auditor(actor) or await goal_reader.goal(conn, Viewer(actor.id, actor.is_admin), goal)):
        raise NotFoundError(f"goal {goal} has no history")
    require_history_reader(actor, OwnerFacts(owner["owner_kind"], owner["owner_id"], lead_id=owner["lead_id"]))


async def _page(info: Info[Context, None], scope: Scope, first: int, after: str | None) -> TimelineConnection:
    window = Window.of(first, after, CURSOR_PREFIX, MAX_PAGE)
    async with info.context.pool.connection() as conn:
        rows = await audit_reader.entries(conn, scope, after=window.oldest_first_after, limit=window.limit)
    connection: TimelineConnection = window.connection(
        rows, "sequence", TimelineEntry.of, edge=TimelineEdge, connection=TimelineConnection
    )
    return connection


@strawberry.type
class AuditQuery:
    @strawberry.field(description="Every event of a goal in order (auditors, admins, the owner).")
    async def goal_timeline(
        self, info: Info[Context, None], goal_id: d.GoalId, first: TimelineFirst = 50, after: d.After = None,
        consistency: d.Consistency = None,
    ) -> TimelineConnection:
        goal = require_uuid(goal_id, "goalId")
        async with info.context.pool.connection() as conn:
            await require_goal_history_reader(conn, info.context.actor, goal)
        return await _page(info, Scope(goal=goal), first, after)

    @strawberry.field(description="Everything a person did to goals, in order (auditors, admins, themselves).")
    async def person_activity(
        self, info: Info[Context, None], person_id: d.PersonId, first: TimelineFirst = 50, after: d.After = None,
        consistency: d.Consistency = None,
    ) -> TimelineConnection:
        require_activity_reader(info.context.actor, str(person_id))
        return await _page(info, Scope(person=str(person_id)), first, after)

    @strawberry.field(description="A goal exactly as it was after `version`, or at the moment `at`.")
    async def goal_as_of(
        self, info: Info[Context, None], goal_id: d.GoalId,
        at: Annotated[datetime | None, strawberry.argument(
            description="A moment (ISO 8601 with offset): the goal as it was then."
        )] = None,
        version: Annotated[int | None, strawberry.argument(
            description="A version of the goal (1 is its creation): the goal right after it."
        )] = None,
    ) -> GoalAsOf:
        goal_id_text = require_uuid(goal_id, "goalId")
        goal: Goal = await asyncio.to_thread(
            info.context.momentum.audit.goal_as_of, info.context.actor, goal_id_text, version=version, at=at
        )
        return GoalAsOf.of(goal, roll_up([goal]).progress(str(goal.id)))

    @strawberry.field(description="The cycle's whole alignment tree as it was at `at` (auditors, admins).")
    async def goal_tree_as_of(
        self, info: Info[Context, None], cycle_id: d.CycleId,
        at: Annotated[datetime, strawberry.argument(
            description="The moment (ISO 8601 with offset) to show the tree at."
        )],
    ) -> list[GoalAsOfNode]:
        cycle = require_uuid(cycle_id, "cycleId")
        require_auditor(info.context.actor)
        async with info.context.pool.connection() as conn:
            ids = await audit_reader.cycle_goal_ids(conn, cycle)
        goals = await asyncio.to_thread(info.context.momentum.audit.goals_as_of, info.context.actor, ids, at)
        return tree_as_of([g for g in goals if g.cycle_id == cycle])  # a moved goal: in its cycle of then


def tree_as_of(goals: list[Goal]) -> list[GoalAsOfNode]:
    rolled = roll_up(goals)
    nodes = {
        str(g.id): GoalAsOfNode(goal=GoalAsOf.of(g, rolled.progress(str(g.id))), progress=rolled.progress(str(g.id)),
                                children=[])
        for g in goals
    }
    roots: list[GoalAsOfNode] = []
    for goal in goals:
        parent = nodes.get(goal.parent_id or "")
        (parent.children if parent is not None else roots).append(nodes[str(goal.id)])
    return roots
