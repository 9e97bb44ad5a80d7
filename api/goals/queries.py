"""Queries, served from the read models; every goal read applies the visibility rule."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api import descriptions as d
from api.context import Context
from api.goals.inputs import GoalFilterInput
from api.goals.types import (
    Goal,
    GoalConnection,
    GoalTreeNode,
)
from api.loaders import by_goal, loaders, selected
from api.resolvers import Row, Window, require_uuid, viewer
from projections.goals import queries as goal_reader
from projections.goals.rollup import RollUp

CURSOR_PREFIX = "goal:"


@strawberry.type
class GoalQuery:
    @strawberry.field(description="The goal, if the caller may see it; null otherwise (as for an unknown id).")
    async def goal(
        self, info: Info[Context, None], id: d.GoalId, consistency: d.Consistency = None
    ) -> Goal | None:
        goal_id = require_uuid(id, "id")
        async with info.context.pool.connection() as conn:
            row = await loaders(info.context).read_goal(conn, viewer(info.context), goal_id, selected(info, ("goal",)))
        return None if row is None else Goal.of(row)

    @strawberry.field(
        description="Visible goals in creation order, a page at a time (Relay cursors)."
    )
    async def goals(
        self,
        info: Info[Context, None],
        filter: Annotated[
            GoalFilterInput | None, strawberry.argument(description="Only the goals that match every field given.")
        ] = None,
        first: d.First = 20,
        after: d.After = None,
        consistency: d.Consistency = None,
    ) -> GoalConnection:
        window = Window.of(first, after, CURSOR_PREFIX)
        where = filter or GoalFilterInput()
        async with info.context.pool.connection() as conn:
            rows = await goal_reader.goals_page(
                conn,
                viewer(info.context),
                goal_reader.GoalFilter(
                    cycle=None if where.cycle is None else require_uuid(where.cycle, "cycle"),
                    owner=None if where.owner is None else str(where.owner),
                    team=None if where.team is None else str(where.team),
                    state=None if where.state is None else str(where.state.value),
                    stale=where.stale,
                ),
                after=window.oldest_first_after,
                limit=window.limit,
                now=info.context.now(),
                stale_days=info.context.services.settings.stale_after_days,
            )
            wanted = selected(info, ("goals", "edges", "node"))
            await loaders(info.context).read_with_goals(conn, [str(r["id"]) for r in rows], wanted)
        return window.connection(rows, "created_sequence", Goal.of)

    @strawberry.field(
        description="The cycle's alignment tree of visible goals, with rolled-up progress."
    )
    async def goal_tree(
        self, info: Info[Context, None], cycle_id: d.CycleId, consistency: d.Consistency = None
    ) -> list[GoalTreeNode]:
        cycle = require_uuid(cycle_id, "cycleId")
        async with info.context.pool.connection() as conn:
            rows = await goal_reader.cycle_goals(conn, viewer(info.context), cycle)
            results = await goal_reader.key_results(conn, [str(r["id"]) for r in rows])
        return tree(info.context, rows, results)


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
