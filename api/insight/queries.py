"""Insight queries: cycle health now, and progress over time of a goal, a cycle or a team in it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from api import descriptions as d
from api.context import Context
from api.insight import reads
from api.insight.types import CycleHealth, HistoryBucket, ProgressPoint
from api.resolvers import require_uuid, viewer
from domain.errors import ValidationError

TeamOf = Annotated[
    strawberry.ID | None, strawberry.argument(description="Only the goals owned by this team or its members.")
]
Moment = "A moment (ISO 8601 with offset)."


@strawberry.type
class InsightQuery:
    @strawberry.field(description="The cycle's goals the caller may see (of a team, if given) counted by health now.")
    async def cycle_health(
        self, info: Info[Context, None], cycle_id: d.CycleId, team_id: TeamOf = None, consistency: d.Consistency = None
    ) -> CycleHealth:
        cycle = require_uuid(cycle_id, "cycleId")
        team = None if team_id is None else str(team_id)
        async with info.context.pool.connection() as conn:
            row = await reads.cycle_row(conn, cycle)
            await reads.require_team(conn, team)
            settings = info.context.services.settings
            found = await reads.cycle_health_counts(
                conn, viewer(info.context), row, team, settings, info.context.now()
            )
        return CycleHealth(cycle_id=strawberry.ID(cycle), team_id=team_id, **found)

    @strawberry.field(
        description=f"Progress over time of one goal, or of a cycle's goals (of a team, if given) the caller may see: "
        f"a point every bucket from `from` to `to`, at most {reads.MAX_POINTS}, each as time travel shows it."
    )
    async def progress_history(
        self, info: Info[Context, None],
        from_: Annotated[datetime, strawberry.argument(name="from", description="The first point. " + Moment)],
        to: Annotated[datetime, strawberry.argument(description="No point after this. " + Moment)],
        goal_id: Annotated[strawberry.ID | None, strawberry.argument(
            description="The goal (give this or cycleId)."
        )] = None,
        cycle_id: Annotated[strawberry.ID | None, strawberry.argument(
            description="The cycle (give this or goalId)."
        )] = None,
        team_id: TeamOf = None,
        bucket: Annotated[HistoryBucket, strawberry.argument(description="The step between points.")] = (
            HistoryBucket.DAY
        ),
        consistency: d.Consistency = None,
    ) -> list[ProgressPoint]:
        if (goal_id is None) == (cycle_id is None):
            raise ValidationError("give exactly one of goalId and cycleId", field="goalId")
        if team_id is not None and cycle_id is None:
            raise ValidationError("teamId narrows a cycle: give cycleId with it", field="teamId")
        at = reads.SeriesWindow(from_, to, str(bucket.value)).moments()  # refused before any id is looked up
        async with info.context.pool.connection() as conn:
            if goal_id is not None:
                points = await reads.goal_series(conn, viewer(info.context), require_uuid(goal_id, "goalId"), at)
            else:
                row = await reads.cycle_row(conn, require_uuid(cycle_id, "cycleId"))
                team = None if team_id is None else str(team_id)
                await reads.require_team(conn, team)
                points = await reads.cycle_series(conn, viewer(info.context), row, team, at)
        return [ProgressPoint(at=p.at, progress=p.progress, confidence=p.confidence, expected_pace=p.expected_pace)
                for p in points]
