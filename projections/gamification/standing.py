"""A person's standing (points, level, badges, streak) and leaderboards, from facts and rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from projections.gamification import rules as r
from projections.gamification.rules import Count, Fact, Rules


@dataclass(frozen=True)
class Badge:
    id: str
    name: str
    description: str
    earned_at: datetime


@dataclass(frozen=True)
class Standing:
    points: int
    level: int
    next_level_at: int | None
    badges: list[Badge]
    current_streak: int
    longest_streak: int


def standing(facts: Iterable[Fact], rules: Rules, as_of: datetime) -> Standing:
    history = r.ordered(facts)
    points = rules.points(r.counts(history))
    level, next_at = rules.level(points)
    earned = []
    for badge_id, (name, description, when) in rules.badges().items():
        at = when(history)
        if at is not None:
            earned.append(Badge(badge_id, name, description, at))
    current, longest = r.streak(history, as_of)
    return Standing(points, level, next_at, sorted(earned, key=lambda b: (b.earned_at, b.id)), current, longest)


@dataclass(frozen=True)
class Rank:
    rank: int
    person_id: str
    points: int


def leaderboard(counts: Mapping[str, Mapping[str, Count]], rules: Rules, first: int) -> list[Rank]:
    """Highest points first; equal points share a rank and are listed by person id; people
    without points are not ranked."""
    scores = ((rules.points(c), p) for p, c in counts.items())
    scored = sorted((s for s in scores if s[0] > 0), key=lambda s: (-s[0], s[1]))
    ranks: list[Rank] = []
    for position, (points, person) in enumerate(scored[:first]):
        same = ranks and ranks[-1].points == points
        ranks.append(Rank(ranks[-1].rank if same else position + 1, person, points))
    return ranks
