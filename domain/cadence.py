"""Check-in cadence: how often a goal expects a check-in, and when the next one is due. Pure."""

from __future__ import annotations

import calendar
from bisect import bisect_left
from datetime import datetime, timedelta

from domain.rules import choice

CADENCES = ("weekly", "biweekly", "monthly")
DEFAULT_CADENCE = "weekly"
MAX_PERIODS = 100_000  # due moments counted past a base, at most (centuries of weeks)


def checked_cadence(value: object) -> str:
    return choice(value, CADENCES, "checkInCadence")


def add_periods(base: datetime, cadence: str, periods: int) -> datetime:
    """`base` moved on by `periods` cadence periods (a month keeps the day, or the month's last)."""
    if cadence == "weekly":
        return base + timedelta(weeks=periods)
    if cadence == "biweekly":
        return base + timedelta(weeks=2 * periods)
    months = base.month - 1 + periods
    year, month = base.year + months // 12, months % 12 + 1
    return base.replace(year=year, month=month, day=min(base.day, calendar.monthrange(year, month)[1]))


def first_due(base: datetime, cadence: str) -> datetime:
    """When a check-in is due after the last one (or after `base`, the goal's start)."""
    return add_periods(base, cadence, 1)


def latest_due(base: datetime, cadence: str, now: datetime) -> datetime | None:
    """The last due moment (base + k periods, k ≥ 1) at or before `now`; None before the first."""
    if first_due(base, cadence) > now:
        return None
    days = {"weekly": 7, "biweekly": 14, "monthly": 28}[cadence]
    periods = max(1, min(MAX_PERIODS, (now - base).days // days))
    while periods > 1 and add_periods(base, cadence, periods) > now:
        periods -= 1
    while periods < MAX_PERIODS and add_periods(base, cadence, periods + 1) <= now:
        periods += 1
    return add_periods(base, cadence, periods)


def adherence(start: datetime, end: datetime, cadence: str, check_ins: list[datetime]) -> tuple[int, int]:
    """(expected, made): the whole cadence periods from `start` that end by `end`, and how many
    of them hold at least one check-in. A last, unfinished period is not counted."""
    moments = sorted(check_ins)  # each period looks up its first moment, not every check-in
    expected = made = 0
    low = start
    while expected < MAX_PERIODS and (high := add_periods(start, cadence, expected + 1)) <= end:
        expected += 1
        first = bisect_left(moments, low)
        made += first < len(moments) and moments[first] < high
        low = high
    return expected, made
