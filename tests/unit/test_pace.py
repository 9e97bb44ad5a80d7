"""Pace and health of a goal: the pure rule of domain/pace.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from api.insight.health import thresholds
from domain import pace
from domain.pace import Span, Thresholds
from settings import Settings

Q1 = Span(date(2027, 1, 1), date(2027, 3, 31))  # 90 days
RULES = Thresholds(at_risk_gap=10, off_track_gap=25, at_risk_confidence=5, off_track_confidence=3)


def test_pace_is_linear_from_the_first_day_to_the_end_of_the_last() -> None:
    assert Q1.expected_progress(datetime(2026, 12, 31, tzinfo=UTC)) == 0
    assert Q1.expected_progress(datetime(2027, 1, 1, tzinfo=UTC)) == 0
    assert Q1.expected_progress(datetime(2027, 1, 46 - 31, 12, tzinfo=UTC)) == pytest.approx(100 * 14.5 / 90, abs=1e-3)
    assert Q1.expected_progress(datetime(2027, 3, 31, 12, tzinfo=UTC)) == pytest.approx(100 * 89.5 / 90, abs=1e-3)
    assert Q1.expected_progress(datetime(2027, 4, 1, tzinfo=UTC)) == 100
    assert Q1.expected_progress(datetime(2030, 1, 1, tzinfo=UTC)) == 100


def test_pace_follows_the_cycles_time_zone() -> None:
    paris = Span(date(2027, 1, 1), date(2027, 1, 10), "Europe/Paris")  # starts at 2026-12-31T23:00Z
    assert paris.expected_progress(datetime(2026, 12, 31, 23, tzinfo=UTC)) == 0
    assert paris.expected_progress(datetime(2027, 1, 1, 23, tzinfo=UTC)) == pytest.approx(10)
    other_offset = datetime(2027, 1, 2, 5, tzinfo=timezone(timedelta(hours=6)))  # the same moment
    assert paris.expected_progress(other_offset) == pytest.approx(10)


def test_pace_at_the_edges_of_the_calendar_does_not_overflow() -> None:
    edge = Span(date(1, 1, 1), date(9999, 12, 31), "Pacific/Kiritimati")
    assert edge.expected_progress(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=-12)))) == 0
    assert edge.expected_progress(datetime.max.replace(tzinfo=UTC)) == 100
    east = Span(date(1, 1, 1), date(1, 1, 2), "Etc/GMT-14")  # starts on 0000-12-31T10:00Z
    assert east.expected_progress(datetime(1, 1, 1, tzinfo=UTC)) == pytest.approx(100 * 14 / 48, abs=1e-3)
    west = Span(date(9999, 12, 30), date(9999, 12, 31), "Etc/GMT+12")  # ends on 10000-01-01T12:00Z
    assert west.expected_progress(datetime.max.replace(tzinfo=UTC)) == pytest.approx(100 * 36 / 48, abs=0.01)


def health(progress: float, expected: float, confidence: int | None = None, *, lifecycle: str = "active",
           checked_in: bool = True) -> str | None:
    return pace.health(lifecycle=lifecycle, progress=progress, expected=expected, confidence=confidence,
                       checked_in=checked_in, thresholds=RULES)


def test_status_from_progress_against_pace() -> None:
    assert health(50, 55) == pace.ON_TRACK
    assert health(50, 59.9) == pace.ON_TRACK
    assert health(50, 60) == pace.AT_RISK
    assert health(50, 74.9) == pace.AT_RISK
    assert health(50, 75) == pace.OFF_TRACK
    assert health(80, 40) == pace.ON_TRACK  # ahead of pace


def test_a_low_last_confidence_puts_a_goal_at_risk_or_off_track_even_on_pace() -> None:
    assert health(50, 50, confidence=6) == pace.ON_TRACK
    assert health(50, 50, confidence=5) == pace.AT_RISK
    assert health(50, 50, confidence=3) == pace.OFF_TRACK
    assert health(50, 65, confidence=2) == pace.OFF_TRACK


def test_done_not_started_and_abandoned() -> None:
    assert health(100, 20) == pace.DONE
    assert health(10, 90, lifecycle="completed") == pace.DONE
    assert health(0, 90, checked_in=False) == pace.NOT_STARTED
    assert health(0, 90, lifecycle="abandoned") is None


def test_thresholds_are_the_settings() -> None:
    strict = thresholds(Settings(env="test", health_at_risk_gap=1, health_off_track_gap=2,
                                 health_at_risk_confidence=9, health_off_track_confidence=8))
    assert strict == Thresholds(at_risk_gap=1, off_track_gap=2, at_risk_confidence=9, off_track_confidence=8)
    found = pace.health(lifecycle="active", progress=50, expected=51, confidence=10, checked_in=True,
                        thresholds=strict)
    assert found == pace.AT_RISK


@pytest.mark.parametrize(("overrides", "problem"), [
    ({"health_at_risk_gap": 30, "health_off_track_gap": 20}, "MOMENTUM_HEALTH_OFF_TRACK_GAP"),
    ({"health_at_risk_confidence": 2, "health_off_track_confidence": 4}, "MOMENTUM_HEALTH_OFF_TRACK_CONFIDENCE"),
    ({"clock": "2027-02-15T00:00:00"}, "timezone"),  # a clock without a time zone
])
def test_inconsistent_health_settings_are_refused(overrides: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        Settings(env="test", **overrides)  # type: ignore[arg-type]


def test_the_test_clock_is_the_apis_now() -> None:
    assert Settings(env="test", clock="2027-02-15T00:00:00+01:00").now() == datetime(2027, 2, 14, 23, tzinfo=UTC)
    assert Settings(env="test").now() > datetime(2026, 1, 1, tzinfo=UTC)
