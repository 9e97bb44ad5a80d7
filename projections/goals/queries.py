"""Queries the API serves from the read models. Every goal query applies the visibility rule:
public goals to all; team goals to the owner's team; every goal to its owner (a team's lead),
the owner's manager and admins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from psycopg import AsyncConnection

from projections.sql import Row, conditions, fetch_all

OPEN_STATUSES = ("draft", "proposed", "active")

OWNERS = """
FROM goals g
LEFT JOIN people op ON g.owner_kind = 'person' AND op.id = g.owner_id
LEFT JOIN teams ot ON g.owner_kind = 'team' AND ot.id = g.owner_id
LEFT JOIN people lp ON lp.id = ot.lead_id
"""
OWNER_TEAM = "coalesce(op.team_id, ot.id)"  # a person's team, or the owning team itself
# The SQL form of shared.visibility.may_see_goal, which the write side applies to its references.
VISIBLE = f"""(
    g.visibility = 'public' OR %(admin)s
    OR (g.owner_kind = 'person' AND g.owner_id = %(me)s)
    OR ot.lead_id = %(me)s
    OR coalesce(op.manager_id, lp.manager_id) = %(me)s
    OR (g.visibility = 'team'
        AND {OWNER_TEAM} = (SELECT team_id FROM people WHERE id = %(me)s))
)"""
STALE = """(g.status = ANY(%(open)s)
    AND coalesce(g.last_check_in_at, g.created_at)
        < %(now)s - make_interval(days => %(stale_days)s))"""


@dataclass(frozen=True)
class Viewer:
    id: str
    admin: bool


@dataclass(frozen=True)
class GoalFilter:
    cycle: str | None = None
    owner: str | None = None
    team: str | None = None
    state: str | None = None
    stale: bool | None = None


FILTER_CLAUSES = {  # the condition of each field of a GoalFilter that is given
    "cycle": "g.cycle_id = %(cycle)s::uuid",
    "owner": "g.owner_id = %(owner)s",
    "team": f"{OWNER_TEAM} = %(team)s",
    "state": "g.status = %(state)s",
    "stale": f"{STALE} = %(stale)s",
}


def _seen_by(viewer: Viewer) -> dict[str, Any]:
    return {"me": viewer.id, "admin": viewer.admin}


def _goal(viewer: Viewer, goal_id: str) -> tuple[str, dict[str, Any]]:
    return f"SELECT g.* {OWNERS} WHERE g.id = %(id)s::uuid AND {VISIBLE}", {**_seen_by(viewer), "id": goal_id}


async def goal(conn: AsyncConnection[Any], viewer: Viewer, goal_id: str) -> Row | None:
    rows = await fetch_all(conn, *_goal(viewer, goal_id))
    return rows[0] if rows else None


async def goal_with(
    conn: AsyncConnection[Any], viewer: Viewer, goal_id: str, *, subtree: bool, key_results: bool
) -> tuple[Row | None, list[Row], list[Row]]:
    """The goal (None: the viewer may not see it) and, read by the same statement, as
    `subtrees_with_key_results` reads them, its subtree and their key results (`subtree`), or
    else its key results alone (`key_results`); neither for a goal the viewer may not see."""
    args = {**_seen_by(viewer), "id": goal_id}
    if subtree:
        query = f"{_subtrees('id = %(id)s::uuid')} SELECT g.*, {TREE_AS_JSON}, {TREE_KEY_RESULTS_AS_JSON}"
    elif key_results:
        query = f"SELECT g.*, NULL AS {TREE}, {GOAL_KEY_RESULTS_AS_JSON}"
    else:
        query = "SELECT g.*"
    rows = await fetch_all(conn, f"{query} {OWNERS} WHERE g.id = %(id)s::uuid AND {VISIBLE}", args)
    if not rows:
        return None, [], []
    goal = rows[0]
    if not (subtree or key_results):
        return goal, [], []
    return goal, *_parts_from_json(goal.pop(TREE), goal.pop(KEY_RESULTS))


async def goals_page(
    conn: AsyncConnection[Any],
    viewer: Viewer,
    where: GoalFilter,
    *,
    after: int,
    limit: int,
    now: datetime,
    stale_days: int,
) -> list[Row]:
    """Visible goals in creation order after the cursor `after` (a creation sequence)."""
    args = {
        **_seen_by(viewer),
        **vars(where),
        "after": after,
        "limit": limit,
        "now": now,
        "stale_days": stale_days,
        "open": list(OPEN_STATUSES),
    }
    where_sql = conditions(where, FILTER_CLAUSES, VISIBLE, "g.created_sequence > %(after)s")
    query = f"SELECT g.* {OWNERS} WHERE {where_sql} ORDER BY g.created_sequence LIMIT %(limit)s"
    return await fetch_all(conn, query, args)


async def cycle_goals(conn: AsyncConnection[Any], viewer: Viewer, cycle_id: str) -> list[Row]:
    """Every goal of the cycle, each marked `visible` or not (invisible ones still roll up), with
    its owner's team."""
    return await fetch_all(
        conn,
        f"SELECT g.*, {VISIBLE} AS visible, {OWNER_TEAM} AS owner_team {OWNERS} "
        "WHERE g.cycle_id = %(cycle)s::uuid ORDER BY g.created_sequence",
        {**_seen_by(viewer), "cycle": cycle_id},
    )


def _subtrees(roots: str) -> str:
    """`tree`: the goals that meet `roots` and, below every goal that rolls up, its aligned descendants."""
    return f"""WITH RECURSIVE tree AS (
        SELECT id, parent_id, rolls_up, weight, status, progress
        FROM goals WHERE {roots}
        UNION
        SELECT g.id, g.parent_id, g.rolls_up, g.weight, g.status, g.progress
        FROM goals g JOIN tree t ON g.parent_id = t.id WHERE t.rolls_up
    )"""


# One goal's subtree and key results travel as JSON columns of the goal's row (`goal_with`): one
# statement instead of a pipeline of three, half psycopg's CPU and less of PostgreSQL's. Not for a
# page: json_agg of 150 key results costs PostgreSQL more than their rows, and typing them more
# than psycopg does. `_parts_from_json` gives them the types their own rows have.
TREE, KEY_RESULTS = "tree_json", "key_results_json"
TREE_AS_JSON = f"(SELECT json_agg(tree)::text FROM tree) AS {TREE}"
TREE_KEY_RESULTS_AS_JSON = (
    "(SELECT json_agg(k ORDER BY k.goal_id, k.position)::text "
    f"FROM goal_key_results k JOIN tree t ON k.goal_id = t.id) AS {KEY_RESULTS}"
)
GOAL_KEY_RESULTS_AS_JSON = (
    f"(SELECT json_agg(k ORDER BY k.position)::text FROM goal_key_results k WHERE k.goal_id = g.id) AS {KEY_RESULTS}"
)
TREE_TYPES: dict[str, Callable[[Any], Any]] = {"weight": float, "progress": float}
KEY_RESULT_TYPES: dict[str, Callable[[Any], Any]] = {
    "start_value": float, "target": float, "weight": float, "current_value": float,
    "progress": float, "last_check_in_at": datetime.fromisoformat,
}


def _parts_from_json(tree: str | None, key_results: str | None) -> tuple[list[Row], list[Row]]:
    return _typed(tree, TREE_TYPES), _typed(key_results, KEY_RESULT_TYPES)


def _typed(rows: str | None, types: dict[str, Callable[[Any], Any]]) -> list[Row]:
    """Rows of a JSON array as the API's pool reads their table's rows (ids as text): floats (JSON
    writes 1.0 as 1) and times (JSON writes them as text)."""
    found: list[Row] = orjson.loads(rows) if rows else []
    for row in found:
        for column, type_ in types.items():
            if row[column] is not None:
                row[column] = type_(row[column])
    return found


async def subtrees_with_key_results(conn: AsyncConnection[Any], goal_ids: list[str]) -> tuple[list[Row], list[Row]]:
    """The goals and, below every goal that rolls up, its aligned descendants; and the key
    results of every goal in them, as `key_results` gives them. Two statements, one after the
    other: psycopg's pipeline would save a round trip for more CPU than the second one costs, and
    the JSON columns `goal_with` reads cost PostgreSQL more than the rows for a page of goals."""
    subtrees = _subtrees("id = ANY(%s::uuid[])")
    tree = await fetch_all(conn, f"{subtrees} SELECT * FROM tree", (goal_ids,))
    results = await fetch_all(
        conn,
        f"{subtrees} SELECT k.* FROM goal_key_results k JOIN tree t ON k.goal_id = t.id ORDER BY k.goal_id, k.position",
        (goal_ids,),
    )
    return tree, results


async def key_results(conn: AsyncConnection[Any], goal_ids: list[str]) -> list[Row]:
    return await fetch_all(conn, *_key_results(goal_ids))


def _key_results(goal_ids: list[str]) -> tuple[str, Any]:
    return "SELECT * FROM goal_key_results WHERE goal_id = ANY(%s::uuid[]) ORDER BY goal_id, position", (goal_ids,)


HISTORIES = ("goal_check_ins", "goal_target_revisions", "goal_dialogue")


async def histories(conn: AsyncConnection[Any], goal_ids: list[str], *, table: str) -> list[Row]:
    """The history rows of every goal in `goal_ids`, each goal's oldest first."""
    assert table in HISTORIES
    return await fetch_all(
        conn, f"SELECT * FROM {table} WHERE goal_id = ANY(%s::uuid[]) ORDER BY goal_id, version", (goal_ids,)
    )


async def audience(conn: AsyncConnection[Any], viewer: Viewer, goal_ids: list[str]) -> list[Row]:
    """(id, cycle_id, visible, owner_team) of each goal: whether the viewer may see it now, and
    the team its owner belongs to now."""
    return await fetch_all(
        conn,
        f"SELECT g.id::text, g.cycle_id::text, {VISIBLE} AS visible, {OWNER_TEAM} AS owner_team {OWNERS} "
        "WHERE g.id = ANY(%(ids)s::uuid[])",
        {**_seen_by(viewer), "ids": goal_ids},
    )


ACTING_PERSON = "CASE WHEN g.owner_kind = 'person' THEN g.owner_id ELSE ot.lead_id END"
OPEN_CYCLE = "NOT EXISTS (SELECT 1 FROM cycles c WHERE c.aggregate_id = g.cycle_id AND c.closed)"
CHECKS_IN = f"g.status = 'active' AND {ACTING_PERSON} = %(person)s AND {OPEN_CYCLE}"


async def checking_in(conn: AsyncConnection[Any], viewer: Viewer, person_id: str) -> list[Row]:
    """The active goals of open cycles (or none) that `person_id` checks in (their own, and
    those of the teams they lead) and `viewer` may see, in creation order."""
    return await fetch_all(
        conn,
        f"SELECT g.* {OWNERS} WHERE {CHECKS_IN} AND {VISIBLE} ORDER BY g.created_sequence",
        {**_seen_by(viewer), "person": person_id},
    )


async def adherence_goals(conn: AsyncConnection[Any], viewer: Viewer, people: list[str]) -> list[Row]:
    """The active goals of open cycles (or none) that `people` own and `viewer` may see."""
    return await fetch_all(
        conn,
        f"SELECT g.id::text AS id, g.owner_id, g.check_in_cadence, g.created_at {OWNERS} "
        "WHERE g.owner_kind = 'person' AND g.owner_id = ANY(%(people)s) AND g.status = 'active' "
        f"AND {OPEN_CYCLE} AND {VISIBLE} ORDER BY g.created_sequence",
        {**_seen_by(viewer), "people": people},
    )


async def check_in_times(conn: AsyncConnection[Any], goal_ids: list[str], start: datetime, end: datetime) -> list[Row]:
    return await fetch_all(
        conn,
        "SELECT goal_id::text AS goal_id, recorded_at FROM goal_check_ins "
        "WHERE goal_id = ANY(%s::uuid[]) AND recorded_at >= %s AND recorded_at < %s",
        (goal_ids, start, end),
    )
