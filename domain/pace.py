"""Pace and health of a goal in a cycle: where it should be at a moment if it moved evenly from
the cycle's first day to its last, and its status from progress against that pace and the last
confidence. Pure: no I/O, the moment is always given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ON_TRACK, AT_RISK, OFF_TRACK, NOT_STARTED, DONE = "on_track", "at_risk", "off_track", "not_started", "done"
HEALTHS = (ON_TRACK, AT_RISK, OFF_TRACK, NOT_STARTED, DONE)


@dataclass(frozen=True)
class Span:
    """A cycle from the start of its first day to the end of its last, in its time zone."""

    starts_on: date
    ends_on: date
    timezone: str = "UTC"

    def _zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    def expected_progress(self, at: datetime) -> float:
        """Linear pace, 0–100: 0 before the first day starts, 100 once the last day has ended."""
        start, end = self._instant(self.starts_on), self._instant(self.ends_on) + timedelta(days=1)
        moment = _since_epoch(at.replace(tzinfo=None), at.utcoffset())
        if moment <= start:
            return 0.0
        if moment >= end:
            return 100.0
        return round(100 * (moment - start) / (end - start), 4)

    def bounds(self) -> tuple[datetime, datetime]:
        """The cycle's first and last moments in UTC, clamped to the calendar."""
        return _clamped(self._instant(self.starts_on)), _clamped(self._instant(self.ends_on) + timedelta(days=1))

    def _instant(self, day: date) -> timedelta:
        midnight = datetime.combine(day, time())
        return _since_epoch(midnight, self._zone().utcoffset(midnight))


def _clamped(since_epoch: timedelta) -> datetime:
    return (datetime.min + min(max(since_epoch, timedelta()), datetime.max - datetime.min)).replace(tzinfo=UTC)


def _since_epoch(local: datetime, offset: timedelta | None) -> timedelta:
    """A moment as a span since datetime.min in UTC: unlike a datetime, it cannot overflow at the
    edges of the calendar (year 1 east of Greenwich, year 9999 west of it)."""
    return local - datetime.min - (offset or timedelta())


@dataclass(frozen=True)
class Thresholds:
    """How far behind pace (percentage points), or how low a confidence (0–10), makes a goal at
    risk or off track."""

    at_risk_gap: float = 10.0
    off_track_gap: float = 25.0
    at_risk_confidence: int = 5
    off_track_confidence: int = 3


def health(
    *, lifecycle: str, progress: float, expected: float, confidence: int | None, checked_in: bool,
    thresholds: Thresholds,
) -> str | None:
    """DONE (completed, or at 100 %), NOT_STARTED (no check-in yet), then OFF_TRACK, AT_RISK or
    ON_TRACK from the gap to pace and the last confidence; None for an abandoned goal."""
    if lifecycle == "abandoned":
        return None
    if lifecycle == "completed" or progress >= 100:
        return DONE
    if not checked_in:
        return NOT_STARTED
    gap = expected - progress
    low = confidence if confidence is not None else 10
    if gap >= thresholds.off_track_gap or low <= thresholds.off_track_confidence:
        return OFF_TRACK
    if gap >= thresholds.at_risk_gap or low <= thresholds.at_risk_confidence:
        return AT_RISK
    return ON_TRACK
