"""cycleHealth's missingCheckIns follows each goal's own check-in cadence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from api.insight.health import counts
from domain.pace import Span
from settings import Settings

NOW = datetime(2027, 2, 15, tzinfo=UTC)
SPAN = Span(date(2027, 1, 1), date(2027, 3, 31), "UTC")


def goal(cadence: str, days_since_check_in: int) -> dict[str, object]:
    last = NOW - timedelta(days=days_since_check_in)
    return {"status": "active", "confidence": 7, "check_in_count": 1, "last_check_in_at": last,
            "created_at": NOW - timedelta(days=60), "check_in_cadence": cadence}


def missing(*goals: dict[str, object]) -> int:
    return counts([(g, 50.0) for g in goals], SPAN, NOW, Settings())["missing_check_ins"]


def test_a_goal_misses_a_check_in_once_its_own_cadence_is_over() -> None:
    assert missing(goal("weekly", 6)) == 0
    assert missing(goal("weekly", 8)) == 1
    assert missing(goal("biweekly", 8)) == 0
    assert missing(goal("biweekly", 15)) == 1
    assert missing(goal("monthly", 20)) == 0
    assert missing(goal("monthly", 32)) == 1


def test_a_goal_that_never_checked_in_counts_from_its_creation() -> None:
    never = {**goal("monthly", 0), "check_in_count": 0, "last_check_in_at": None,
             "created_at": NOW - timedelta(days=10)}
    assert missing(never) == 0
    assert missing({**never, "check_in_cadence": "weekly"}) == 1
