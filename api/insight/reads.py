"""Cycle health and progress series from the read models, for GraphQL and the cycle report page:
only goals the viewer may see count (the goals read model's visibility rule)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from psycopg import AsyncConnection

from api.insight import series
from api.insight.health import counts, span_of
from api.insight.series import GoalState, Point
from domain.errors import NotFoundError, ValidationError
from projections.directory import queries as directory_reader
from projections.goals import queries as goal_reader
from projections.goals.queries import Viewer
from projections.goals.rollup import RollUp
from projections.sql import Row
from projections.timeline import queries as timeline_reader
from settings import Settings

MAX_POINTS = 400
STEPS = {"day": timedelta(days=1), "week": timedelta(days=7)}


@dataclass(frozen=True)
class SeriesWindow:
    """The moments of a series: `start` to `end` by `bucket` (day or week)."""

    start: datetime
    end: datetime
    bucket: str

    def moments(self) -> list[datetime]:
        for moment, field in ((self.start, "from"), (self.end, "to")):
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValidationError(f"{field} must carry a time zone", field=field)
        if self.end < self.start:
            raise ValidationError("to must not be before from", field="to")
        step = STEPS[self.bucket]
        if (self.end - self.start) // step + 1 > MAX_POINTS:
            raise ValidationError(f"a series has at most {MAX_POINTS} points: widen the bucket or narrow from–to",
                                  field="bucket")
        return series.moments(self.start, self.end, step)


async def cycle_row(conn: AsyncConnection[Any], cycle_id: str) -> Row:
    rows = await directory_reader.cycles(conn, [cycle_id])
    if not rows:
        raise NotFoundError(f"cycle {cycle_id} does not exist", field="cycleId")
    return rows[0]


async def require_team(conn: AsyncConnection[Any], team_id: str | None) -> None:
    if team_id is not None and not await directory_reader.teams(conn, [team_id]):
        raise NotFoundError(f"team {team_id} does not exist", field="teamId")


async def visible_goals(
    conn: AsyncConnection[Any], viewer: Viewer, cycle: Row, team_id: str | None
) -> list[tuple[Row, float]]:
    """The cycle's goals the viewer may see (of the team, if given), with their rolled-up progress."""
    rows = await goal_reader.cycle_goals(conn, viewer, str(cycle["aggregate_id"]))
    rolled = RollUp(rows, await goal_reader.key_results(conn, [str(r["id"]) for r in rows]))
    return [(r, rolled.progress(str(r["id"]))) for r in rows
            if r["visible"] and (team_id is None or r["owner_team"] == team_id)]


async def cycle_health_counts(
    conn: AsyncConnection[Any], viewer: Viewer, cycle: Row, team_id: str | None, settings: Settings, now: datetime
) -> dict[str, Any]:
    """At `now`: the cycle's pace and its visible goals (of the team, if given) counted by health."""
    return health_counts(await visible_goals(conn, viewer, cycle, team_id), cycle, settings, now)


def health_counts(goals: list[tuple[Row, float]], cycle: Row, settings: Settings, now: datetime) -> dict[str, Any]:
    """At `now`: the cycle's pace and `goals` (rows with their rolled-up progress) counted by health."""
    span = span_of(cycle)
    found = counts(goals, span, now, settings)
    return {"at": now, "expected_progress": span.expected_progress(now), **{
        name: found[name] for name in ("goals", "on_track", "at_risk", "off_track", "not_started", "done",
                                       "stale", "missing_check_ins")
    }}


async def goal_series(conn: AsyncConnection[Any], viewer: Viewer, goal_id: str, at: list[datetime]) -> list[Point]:
    goal = await goal_reader.goal(conn, viewer, goal_id)
    if goal is None:
        raise NotFoundError(f"goal {goal_id} does not exist", field="goalId")
    cycle = None if goal["cycle_id"] is None else str(goal["cycle_id"])
    span = None if cycle is None else span_of(await cycle_row(conn, cycle))
    history = await timeline_reader.states_until(conn, [] if cycle is None else [cycle], cycle is None, at[-1])
    folded = zip(at, series.states_at(history, at), strict=True)
    return [series.goal_point(m, states, goal_id, span) for m, states in folded]


async def cycle_series(
    conn: AsyncConnection[Any], viewer: Viewer, cycle: Row, team_id: str | None, at: list[datetime]
) -> list[Point]:
    """The weighted roll-up of the cycle's goals (of the team, if given) the viewer may see, at
    each moment of `at` (ascending, not empty)."""
    cycle_id, span = str(cycle["aggregate_id"]), span_of(cycle)
    history = await timeline_reader.states_until(conn, [cycle_id], False, at[-1])
    audience = {r["id"]: r for r in await goal_reader.audience(conn, viewer, sorted({h["goal_id"] for h in history}))}

    def belongs(goal: GoalState) -> bool:
        found = audience.get(str(goal["id"]))
        return (found is not None and found["visible"] and goal["cycle_id"] == cycle_id
                and (team_id is None or found["owner_team"] == team_id))

    folded = zip(at, series.states_at(history, at), strict=True)
    return [series.scope_point(m, states, belongs, span) for m, states in folded]
