"""A goal's pace and health from read-model rows, and the health counts of a set of goals."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from domain import cadence, pace
from projections.goals.queries import OPEN_STATUSES
from projections.sql import Row
from settings import Settings


def span_of(cycle: Row) -> pace.Span:
    def day(value: date | str) -> date:
        return value if isinstance(value, date) else date.fromisoformat(value)

    return pace.Span(day(cycle["starts_on"]), day(cycle["ends_on"]), cycle.get("timezone") or "UTC")


def thresholds(settings: Settings) -> pace.Thresholds:
    return pace.Thresholds(
        at_risk_gap=settings.health_at_risk_gap, off_track_gap=settings.health_off_track_gap,
        at_risk_confidence=settings.health_at_risk_confidence,
        off_track_confidence=settings.health_off_track_confidence,
    )


def goal_health(goal: Row, progress: float, expected: float, settings: Settings) -> str | None:
    return pace.health(
        lifecycle=goal["status"], progress=progress, expected=expected, confidence=goal["confidence"],
        checked_in=goal["check_in_count"] > 0, thresholds=thresholds(settings),
    )


def is_stale(status: str, last: datetime, now: datetime, days: int) -> bool:
    """An open goal whose last check-in (or creation), `last`, is more than `days` before `now`."""
    return status in OPEN_STATUSES and last < now - timedelta(days=days)


def due_at(goal: Row) -> datetime:
    """When the goal's next check-in is due: a cadence period after its last (or its creation)."""
    every = goal.get("check_in_cadence") or cadence.DEFAULT_CADENCE
    return cadence.first_due(goal["last_check_in_at"] or goal["created_at"], every)


def _misses_check_in(goal: Row, now: datetime) -> bool:
    """Open, and its cadence's period since the last check-in (or its creation) is over."""
    return goal["status"] in OPEN_STATUSES and due_at(goal) < now


def counts(goals: list[tuple[Row, float]], span: pace.Span, now: datetime, settings: Settings) -> Counter[str]:
    """Goals (row, rolled-up progress) by health, and how many are stale or miss a check-in."""
    expected = span.expected_progress(now)
    found: Counter[str] = Counter()
    for goal, progress in goals:
        status = goal_health(goal, progress, expected, settings)
        if status is None:
            continue
        found[status] += 1
        found["goals"] += 1
        found["stale"] += is_stale(
            goal["status"], goal["last_check_in_at"] or goal["created_at"], now, settings.stale_after_days
        )
        found["missing_check_ins"] += expected > 0 and _misses_check_in(goal, now)
    return found
