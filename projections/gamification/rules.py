"""Every gamification rule, in one place: points, levels, badges and streaks, computed from a
person's facts. Pure and deterministic: the same facts and rules give the same standing, so
a rebuilt read model equals the live one and a changed rule applies to all of history."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import astuple, dataclass
from datetime import date, datetime, timedelta

CHECK_IN = "check_in"
FEEDBACK_GIVEN = "feedback_given"
FEEDBACK_UPWARD = "feedback_upward"
KEY_RESULT_ACHIEVED = "key_result_achieved"
GOAL_COMPLETED = "goal_completed"
KUDOS_GIVEN = "kudos_given"
KUDOS_RECEIVED = "kudos_received"


@dataclass(frozen=True)
class Fact:
    """Something a person did or received that the rules may reward."""

    event_id: str
    person_id: str
    kind: str
    at: datetime
    amount: int
    sequence: int


@dataclass(frozen=True)
class Count:
    """A person's facts of one kind: how many, on how many days (UTC), and their amount."""

    n: int = 0
    days: int = 0
    amount: int = 0


@dataclass(frozen=True)
class Rules:
    check_in_day: int = 5  # points per day with a check-in: more check-ins that day add nothing
    feedback_day: int = 2  # points per day with feedback given
    key_result_achieved: int = 20
    goal_completed: int = 30
    kudos_point: int = 1  # points per kudos point received
    level_thresholds: tuple[int, ...] = (0, 50, 150, 300, 600, 1000)
    streak_weeks: int = 4
    kudos_given_badge: int = 10
    kudos_received_badge: int = 10

    @classmethod
    def with_thresholds(cls, thresholds: str) -> Rules:
        """The default rules with MOMENTUM_LEVEL_THRESHOLDS, e.g. "0,50,150"."""
        return cls(level_thresholds=tuple(int(v) for v in thresholds.split(",")))

    @property
    def version(self) -> str:
        """Names this set of rules in award events; changes whenever a rule changes."""
        return hashlib.sha256(repr(astuple(self)).encode()).hexdigest()[:12]

    def points(self, counts: Mapping[str, Count]) -> int:
        def of(kind: str) -> Count:
            return counts.get(kind, Count())

        return (
            of(CHECK_IN).days * self.check_in_day
            + of(FEEDBACK_GIVEN).days * self.feedback_day
            + of(KEY_RESULT_ACHIEVED).n * self.key_result_achieved
            + of(GOAL_COMPLETED).n * self.goal_completed
            + of(KUDOS_RECEIVED).amount * self.kudos_point
        )

    def level(self, points: int) -> tuple[int, int | None]:
        """(level, points needed for the next one); level 1 starts at the first threshold."""
        reached = [t for t in self.level_thresholds if t <= points]
        higher = [t for t in self.level_thresholds if t > points]
        return max(len(reached), 1), (higher[0] if higher else None)

    def badges(self) -> dict[str, tuple[str, str, Callable[[list[Fact]], datetime | None]]]:
        """badge id → (name, description, when the person's facts, oldest first, earned it)."""
        return {
            "first-check-in": ("First check-in", "Checked in for the first time", _nth(CHECK_IN, 1)),
            "check-in-streak": (
                f"{self.streak_weeks}-week streak",
                f"Checked in {self.streak_weeks} weeks in a row",
                lambda facts: _streak_reached(facts, self.streak_weeks),
            ),
            "key-result-achieved": (
                "Key result achieved",
                "Reached a key result's target",
                _nth(KEY_RESULT_ACHIEVED, 1),
            ),
            "goal-completed": ("Goal completed", "Completed a goal", _nth(GOAL_COMPLETED, 1)),
            "kudos-given": (
                f"{self.kudos_given_badge} kudos given",
                f"Gave kudos {self.kudos_given_badge} times",
                _nth(KUDOS_GIVEN, self.kudos_given_badge),
            ),
            "kudos-received": (
                f"{self.kudos_received_badge} kudos received",
                f"Received kudos {self.kudos_received_badge} times",
                _nth(KUDOS_RECEIVED, self.kudos_received_badge),
            ),
            "first-upward-feedback": (
                "First upward feedback",
                "Gave feedback to someone up the org chart",
                _nth(FEEDBACK_UPWARD, 1),
            ),
        }


def counts(facts: Iterable[Fact]) -> dict[str, Count]:
    days: dict[str, set[date]] = {}
    found: dict[str, Count] = {}
    for fact in facts:
        days.setdefault(fact.kind, set()).add(fact.at.date())
        old = found.get(fact.kind, Count())
        found[fact.kind] = Count(old.n + 1, len(days[fact.kind]), old.amount + fact.amount)
    return found


def ordered(facts: Iterable[Fact]) -> list[Fact]:
    return sorted(facts, key=lambda f: (f.at, f.sequence, f.kind))


def _nth(kind: str, n: int) -> Callable[[list[Fact]], datetime | None]:
    def when(facts: list[Fact]) -> datetime | None:
        of_kind = [f for f in facts if f.kind == kind]
        return of_kind[n - 1].at if len(of_kind) >= n else None

    return when


def week_of(moment: datetime) -> date:
    """The Monday of the ISO week."""
    day = moment.date()
    return day - timedelta(days=day.weekday())


def _streak_reached(facts: list[Fact], weeks: int) -> datetime | None:
    run, previous = 0, None
    for fact in facts:
        if fact.kind != CHECK_IN:
            continue
        week = week_of(fact.at)
        if week == previous:
            continue
        run = run + 1 if previous is not None and week - previous == timedelta(days=7) else 1
        previous = week
        if run >= weeks:
            return fact.at
    return None


def streak(facts: Iterable[Fact], as_of: datetime) -> tuple[int, int]:
    """(current, longest) runs of consecutive ISO weeks with a check-in; the current run
    is still alive while the week before `as_of` has a check-in."""
    weeks = sorted({week_of(f.at) for f in facts if f.kind == CHECK_IN})
    longest, run, previous = 0, 0, None
    for week in weeks:
        run = run + 1 if previous is not None and week - previous == timedelta(days=7) else 1
        longest, previous = max(longest, run), week
    alive = previous is not None and week_of(as_of) - previous <= timedelta(days=7)
    return (run if alive else 0), longest
