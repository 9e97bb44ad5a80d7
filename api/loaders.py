"""Per-request DataLoaders: a page of goals with key results, owners and roll-ups costs a
handful of SQL statements, whatever the page size."""

from __future__ import annotations

import inspect
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any, TypeVar

from graphql import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode, SelectionNode
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from api.auth import Unauthenticated
from api.context import Context
from application.identity import Actor
from projections.directory import queries as directory_reader
from projections.feedback import queries as feedback_reader
from projections.gamification.queries import facts_of_people
from projections.gamification.rules import Fact
from projections.goals import queries as goal_reader
from projections.goals.rollup import RollUp
from projections.sql import Row

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class Loaders:
    """No loader's function refers to this object or to the request's context (which holds it):
    without a reference cycle, a request's loaders, their futures and rows are freed by reference
    counting as it ends, not left for the garbage collector (see docs/performance.md)."""

    def __init__(self, context: Context) -> None:
        pool = self.pool = context.pool
        self.key_results = DataLoader(partial(_key_results, pool))
        self.progress = DataLoader(partial(_progress, pool, self.key_results))
        self.people = DataLoader(_by(pool, "id", directory_reader.people))
        self.teams = DataLoader(_by(pool, "id", directory_reader.teams))
        self.cycles = DataLoader(_by(pool, "aggregate_id", directory_reader.cycles))
        self.facts = DataLoader(partial(_facts, pool))
        self.check_ins, self.target_revisions, self.dialogue = (
            DataLoader(_grouped(pool, "goal_id", partial(goal_reader.histories, table=table)))
            for table in goal_reader.HISTORIES
        )
        self.people_where = {  # the people whose manager_id / team_id is a given id
            column: DataLoader(_grouped(pool, column, partial(directory_reader.people_where, column=column)))
            for column in ("manager_id", "team_id")
        }
        viewer = partial(_viewer_id, context.admitted)
        self.feedback_about = DataLoader(partial(_feedback_about, pool, viewer))
        self.feedback = DataLoader(_by(pool, "aggregate_id", partial(_visible_feedback, viewer)))

    async def read_with_goals(self, conn: Any, goal_ids: list[str], fields: set[str]) -> None:
        """With the goals a root field read, on its connection: their key results and their
        progress if `fields` (of Goal, as selected) asks for them. The resolvers of those fields
        then answer without a query or an awaitable of their own."""
        if "progress" in fields:
            roll_up = await _roll_up(conn, self.key_results, goal_ids)
            self.progress.prime_many({g: roll_up.progress(g) for g in goal_ids})
        elif "keyResults" in fields:
            grouped = by_goal(await goal_reader.key_results(conn, goal_ids))
            self.key_results.prime_many({g: grouped[g] for g in goal_ids})

    async def read_goal(self, conn: Any, viewer: goal_reader.Viewer, goal_id: str, fields: set[str]) -> Row | None:
        """The goal if the viewer may see it, with what `read_with_goals` would read for it, in
        the same round trip."""
        rolls_up, lists = "progress" in fields, "keyResults" in fields
        row, tree, results = await goal_reader.goal_with(conn, viewer, goal_id, subtree=rolls_up, key_results=lists)
        if row is None:
            return None
        if rolls_up:
            self.progress.prime(goal_id, _rolled_up(self.key_results, [goal_id], tree, results).progress(goal_id))
        elif lists:
            self.key_results.prime(goal_id, results)
        return row


async def _key_results(pool: Any, goal_ids: Sequence[str]) -> list[list[Row]]:
    async with pool.connection() as conn:
        rows = await goal_reader.key_results(conn, list(goal_ids))
    grouped = by_goal(rows)
    return [grouped[g] for g in goal_ids]


async def _progress(pool: Any, key_results: DataLoader[str, list[Row]], goal_ids: Sequence[str]) -> list[float]:
    async with pool.connection() as conn:
        roll_up = await _roll_up(conn, key_results, list(goal_ids))
    return [roll_up.progress(g) for g in goal_ids]


async def _roll_up(conn: Any, key_results: DataLoader[str, list[Row]], goal_ids: list[str]) -> RollUp:
    """The goals' subtrees with their key results, which the goals' own key results are part of
    (primed, so that the page's keyResults need no query of their own)."""
    tree, results = await goal_reader.subtrees_with_key_results(conn, goal_ids)
    return _rolled_up(key_results, goal_ids, tree, results)


def _rolled_up(key_results: DataLoader[str, list[Row]], goal_ids: list[str], tree: list[Row], results: list[Row]
               ) -> RollUp:
    grouped = by_goal(results)
    key_results.prime_many({g: grouped[g] for g in goal_ids})
    return RollUp(tree, results)


def _by(
    pool: Any, key: str, fetch: Callable[[Any, list[str]], Awaitable[list[Row]]]
) -> Callable[[Sequence[str]], Awaitable[list[Row | None]]]:
    async def load(ids: Sequence[str]) -> list[Row | None]:
        async with pool.connection() as conn:
            rows = {str(r[key]): r for r in await fetch(conn, list(ids))}
        return [rows.get(i) for i in ids]

    return load


def _grouped(
    pool: Any, column: str, fetch: Callable[..., Awaitable[list[Row]]]
) -> Callable[[Sequence[str]], Awaitable[list[list[Row]]]]:
    """Loads the rows of many parents with one query: each parent's rows, whose `column` is its id."""

    async def load(ids: Sequence[str]) -> list[list[Row]]:
        async with pool.connection() as conn:
            grouped = group_by(await fetch(conn, list(ids)), column)
        return [grouped[i] for i in ids]

    return load


def _viewer_id(admitted: Actor | None) -> str:
    if admitted is None:
        raise Unauthenticated("missing bearer token")
    return admitted.id


async def _feedback_about(pool: Any, viewer_id: Callable[[], str], keys: Sequence[tuple[str, int]]) -> list[list[Row]]:
    """Keyed by (goal id, how many): one query per distinct page size in the request."""
    found: dict[tuple[str, int], list[Row]] = {}
    async with pool.connection() as conn:
        for limit in {n for _, n in keys}:
            goals = [g for g, n in keys if n == limit]
            rows = await feedback_reader.feedback_about_goals(conn, viewer_id(), goals, limit)
            grouped = group_by(rows, "goal_id")
            found.update({(g, limit): grouped[g] for g in goals})
    return [found[k] for k in keys]


async def _visible_feedback(viewer_id: Callable[[], str], conn: Any, ids: list[str]) -> list[Row]:
    return await feedback_reader.feedback_by_ids(conn, viewer_id(), ids)


async def _facts(pool: Any, people: Sequence[str]) -> list[list[Fact]]:
    """One query for the gamification facts of every person a request asks about."""
    async with pool.connection() as conn:
        facts = await facts_of_people(conn, list(people))
    return [facts.get(p, []) for p in people]


def group_by(rows: list[Row], column: str) -> dict[str, list[Row]]:
    """Rows grouped by the text of their `column`, in their order (a value without any maps to [])."""
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[str(row[column])].append(row)
    return grouped


def by_goal(key_results: list[Row]) -> dict[str, list[Row]]:
    """Key-result rows grouped by their goal (a goal without any maps to [])."""
    return group_by(key_results, "goal_id")


def loaders(context: Context) -> Loaders:
    """The request's loaders, built on first use (until Context.forget_cached_reads)."""
    found = context.cached_reads
    if not isinstance(found, Loaders):
        found = context.cached_reads = Loaders(context)
    return found


def now_or_later(loader: DataLoader[K, V], key: K) -> V | Awaitable[V]:
    """What `loader` already holds for `key`, as itself: graphql-core completes a plain value in
    place, where an awaitable costs it a task. Otherwise the awaitable load."""
    found = loader.cache_map.get(key) if loader.cache else None
    if found is not None and found.done() and not found.cancelled() and found.exception() is None:
        return found.result()
    return loader.load(key)


def mapped(found: V | Awaitable[V], function: Callable[[V], T]) -> T | Awaitable[T]:
    """`function` of a value, or of an awaitable's value once it is there."""
    if inspect.isawaitable(found):
        awaited = found

        async def later() -> T:
            return function(await awaited)

        return later()
    return function(found)


def selected(info: Info[Any, Any], path: tuple[str, ...]) -> set[str]:
    """The names of the fields selected at `path` from the resolver's own field (field names,
    through fragments), read off graphql-core's nodes: strawberry's `info.selected_fields` first
    converts the whole selection, arguments included (0.15 ms of a one-goal request)."""
    raw = info._raw_info
    return _selected(raw.field_nodes, raw.fragments, path)


def _selected(
    selections: Sequence[SelectionNode], fragments: dict[str, FragmentDefinitionNode], path: tuple[str, ...]
) -> set[str]:
    names: set[str] = set()
    for node in selections:
        if isinstance(node, FieldNode):
            if not path:
                names.add(node.name.value)
            elif node.name.value == path[0] and node.selection_set is not None:
                names |= _selected(node.selection_set.selections, fragments, path[1:])
            continue
        fragment = fragments.get(node.name.value) if isinstance(node, FragmentSpreadNode) else node
        if isinstance(fragment, FragmentDefinitionNode | InlineFragmentNode):
            names |= _selected(fragment.selection_set.selections, fragments, path)
    return names
