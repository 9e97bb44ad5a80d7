"""Calendar periods (ISO week, month, quarter, year) as keys like 2027-W09, 2027-03, 2027-Q1,
2027, and the [start, end) instants they span, in UTC. Pure."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from domain.errors import ValidationError

KINDS = ("week", "month", "quarter", "year")
ALL = "all"
PATTERNS = {
    "week": re.compile(r"([0-9]{4})-W([0-9]{2})"),
    "month": re.compile(r"([0-9]{4})-([0-9]{2})"),
    "quarter": re.compile(r"([0-9]{4})-Q([1-4])"),
    "year": re.compile(r"([0-9]{4})"),
}


def period_of(moment: datetime, kind: str) -> str:
    day = moment.astimezone(UTC).date()
    if kind == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if kind == "month":
        return f"{day.year}-{day.month:02d}"
    if kind == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if kind == "year":
        return str(day.year)
    raise ValidationError(f"a period is one of {KINDS}", field="period")


SHOWN = 20  # characters of a refused key quoted in its error; the longest period key has 8


def bounds(key: str) -> tuple[datetime, datetime]:
    """[start, end) of a period key; `all` spans every time."""
    if key == ALL:
        return datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC)
    for kind, pattern in PATTERNS.items():
        match = pattern.fullmatch(key)  # the whole key: `$` would let a trailing newline in
        if match is None:
            continue
        try:
            start, end = _days(kind, int(match.group(1)), int(match.groups()[-1]))
        except (ValueError, OverflowError):  # a date before year 1 or past 9999
            break
        return _instant(start), _instant(end)
    shown = key if len(key) <= SHOWN else f"{key[:SHOWN]}…"  # a 100,000-character key is not sent back whole
    raise ValidationError(f"{shown!r} is not a period (2027-W09, 2027-03, 2027-Q1, 2027 or all)", field="period")


def _days(kind: str, year: int, number: int) -> tuple[date, date]:
    if kind == "week":
        start = date.fromisocalendar(year, number, 1)
        return start, start + timedelta(days=7)
    if kind == "month":
        start = date(year, number, 1)
        return start, date(year + number // 12, number % 12 + 1, 1)
    if kind == "quarter":
        start = date(year, 3 * number - 2, 1)
        return start, date(year + number // 4, (3 * number) % 12 + 1, 1)
    return date(year, 1, 1), date(year + 1, 1, 1)


def _instant(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
