"""Queries, served from the read models; every goal read applies the visibility rule."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from api import descriptions as d
from api.context import Context
from api.descriptions import MAX_PAGE
from api.inputs import GoalFilterInput
from api.loaders import by_goal, loaders
from api.types import (
    Connection,
    Cycle,
    Edge,
    Goal,
    GoalConnection,
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

CURSOR_PREFIX = "goal:"
MAX_SEQUENCE = 2**63 - 2  # a cursor's sequence, and the sequence next to it, fit PostgreSQL's bigint
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
    except ValueError:  # not base64, or not UTF-8 (a UnicodeError is a ValueError)
        text = ""
    digits = text.removeprefix(prefix)
    if text.startswith(prefix) and digits.isascii() and digits.isdigit() and int(digits) <= MAX_SEQUENCE:
        return int(digits)
    raise ValidationError(f"{cursor[:40]!r} is not a cursor of this connection", field="after")


def page_size(first: int, most: int = MAX_PAGE) -> int:
    """`first`, if it is a page size this connection serves."""
    if not 0 <= first <= most:
        raise ValidationError(f"first must be between 0 and {most}", field="first")
    return first


@dataclass(frozen=True)
class Window:
    """The rows to ask a reader for, to serve `first` edges after the `after` cursor (Relay forward
    pagination): from the cursor's own row on, whose presence proves an edge before the page
    (hasPreviousPage), and one row more than the page, whose presence proves a next page.
    Readers bound by a sequence that is exclusive; sequences are whole numbers, so the bound
    next to the cursor's includes the cursor's row."""

    first: int
    after: int | None  # the sequence in the `after` cursor
    prefix: str

    @classmethod
    def of(cls, first: int, after: str | None, prefix: str, most: int = MAX_PAGE) -> Window:
        return cls(page_size(first, most), None if after is None else decode_cursor(after, prefix), prefix)

    @property
    def limit(self) -> int:
        return self.first + 1 + (self.after is not None)

    @property
    def oldest_first_after(self) -> int:
        """The exclusive lower bound for a reader in ascending sequence order."""
        return 0 if self.after is None else self.after - 1

    @property
    def newest_first_before(self) -> int | None:
        """The exclusive upper bound for a reader in descending sequence order."""
        return None if self.after is None else self.after + 1

    def connection(
        self,
        rows: list[Row],
        key: str,
        node: Callable[[Row], Any],
        edge: Callable[..., Any] = Edge,
        connection: Callable[..., Any] = Connection,
    ) -> Any:
        """The page of `rows` (as the reader returned them for this window), each row's cursor
        made of its `key` sequence."""
        has_previous = bool(rows) and self.after is not None and rows[0][key] == self.after
        following = rows[1:] if has_previous else rows
        edges = [edge(cursor=encode_cursor(r[key], self.prefix), node=node(r)) for r in following[: self.first]]
        info = PageInfo.of(edges, has_previous_page=has_previous, has_next_page=len(following) > self.first)
        return connection(edges=edges, page_info=info)


def require_uuid(value: Any, field: str) -> str:
    try:
        return str(UUID(str(value)))
    except ValueError:
        raise ValidationError(f"{value!r} is not a valid id", field=field) from None


@strawberry.type
class Query:
    @strawberry.field(description="The goal, if the caller may see it; null otherwise (as for an unknown id).")
    async def goal(
        self, info: Info[Context, None], id: d.GoalId, consistency: d.Consistency = None
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
            rows = await reader.goals_page(
                conn,
                viewer(info.context),
                reader.GoalFilter(
                    cycle=None if where.cycle is None else require_uuid(where.cycle, "cycle"),
                    owner=None if where.owner is None else str(where.owner),
                    team=None if where.team is None else str(where.team),
                    state=None if where.state is None else str(where.state.value),
                    stale=where.stale,
                ),
                after=window.oldest_first_after,
                limit=window.limit,
                now=datetime.now(UTC),
                stale_days=info.context.services.settings.stale_after_days,
            )
        return window.connection(rows, "created_sequence", Goal.of)

    @strawberry.field(
        description="The cycle's alignment tree of visible goals, with rolled-up progress."
    )
    async def goal_tree(
        self, info: Info[Context, None], cycle_id: d.CycleId, consistency: d.Consistency = None
    ) -> list[GoalTreeNode]:
        cycle = require_uuid(cycle_id, "cycleId")
        async with info.context.pool.connection() as conn:
            rows = await reader.cycle_goals(conn, viewer(info.context), cycle)
            results = await reader.key_results(conn, [str(r["id"]) for r in rows])
        return tree(info.context, rows, results)

    @strawberry.field(description="The cycle (every signed-in person may see cycles); null for an unknown id.")
    async def cycle(
        self, info: Info[Context, None], id: d.CycleId, consistency: d.Consistency = None
    ) -> Cycle | None:
        cycle_id = require_uuid(id, "id")
        row = await loaders(info.context).cycles.load(cycle_id)
        return None if row is None else Cycle.of(row)

    @strawberry.field(description="A person of the directory; null for an id it does not hold.")
    async def person(
        self, info: Info[Context, None], id: d.PersonId, consistency: d.Consistency = None
    ) -> Person | None:
        return await person(info, str(id))

    @strawberry.field(description="A team of the directory; null for an id it does not hold.")
    async def team(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description=d.TEAM_ID)],
        consistency: d.Consistency = None,
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
