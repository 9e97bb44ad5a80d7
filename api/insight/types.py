"""GraphQL types of insight: a goal's health, a cycle's health counts, points of a progress series."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry

from domain import pace


@strawberry.enum(description="Where a goal stands against its cycle's pace and its last confidence.")
class GoalHealth(enum.Enum):
    ON_TRACK = strawberry.enum_value(pace.ON_TRACK, description="At or near pace, with a fair confidence.")
    AT_RISK = strawberry.enum_value(
        pace.AT_RISK, description="MOMENTUM_HEALTH_AT_RISK_GAP points behind pace, or a low last confidence."
    )
    OFF_TRACK = strawberry.enum_value(
        pace.OFF_TRACK, description="MOMENTUM_HEALTH_OFF_TRACK_GAP points behind pace, or a very low last confidence."
    )
    NOT_STARTED = strawberry.enum_value(pace.NOT_STARTED, description="No check-in yet.")
    DONE = strawberry.enum_value(pace.DONE, description="Completed, or at 100 %.")


@strawberry.enum(description="The step between two points of a progress series.")
class HistoryBucket(enum.Enum):
    DAY = strawberry.enum_value("day", description="One point a day.")
    WEEK = strawberry.enum_value("week", description="One point every seven days.")


@strawberry.type(description="How the goals of a cycle (or of a team in it) the caller may see stand now.")
class CycleHealth:
    cycle_id: strawberry.ID = strawberry.field(description="The cycle.")
    team_id: strawberry.ID | None = strawberry.field(description="The team its goals were narrowed to; null for all.")
    at: datetime = strawberry.field(description="The moment the counts are for (now).")
    expected_progress: float = strawberry.field(description="The cycle's linear pace now, 0–100.")
    goals: int = strawberry.field(description="Goals counted: visible to the caller, not abandoned.")
    on_track: int = strawberry.field(description="Goals ON_TRACK.")
    at_risk: int = strawberry.field(description="Goals AT_RISK.")
    off_track: int = strawberry.field(description="Goals OFF_TRACK.")
    not_started: int = strawberry.field(description="Goals NOT_STARTED.")
    done: int = strawberry.field(description="Goals DONE.")
    stale: int = strawberry.field(description="Open goals without a check-in for MOMENTUM_STALE_AFTER_DAYS days.")
    missing_check_ins: int = strawberry.field(
        description="Open goals of the started cycle whose check-in cadence is over since their last check-in "
        "(or creation)."
    )


@strawberry.type(description="One point of a progress series: the state at `at`, as time travel shows it.")
class ProgressPoint:
    at: datetime = strawberry.field(description="The moment of the point.")
    progress: float | None = strawberry.field(
        description="Rolled-up progress then, 0–100 (a weighted mean for a cycle or team); null if nothing existed."
    )
    confidence: float | None = strawberry.field(
        description="The last confidence then, 0–10 (a weighted mean for a cycle or team); null if none."
    )
    expected_pace: float | None = strawberry.field(
        description="The cycle's linear pace then, 0–100; null for a goal without a cycle."
    )
