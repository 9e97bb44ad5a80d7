"""A person's points, level, badges and streak: the rules applied to their facts at read time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from api import descriptions as d
from api.context import Context
from api.loaders import loaders
from domain.periods import ALL, bounds
from projections.gamification import rules as r
from projections.gamification.rules import Rules
from projections.gamification.standing import standing


def rules(context: Context) -> Rules:
    return Rules.with_thresholds(context.services.settings.level_thresholds)


@strawberry.type(description="A badge a person earned; the rules grant each badge once.")
class Badge:
    id: str = strawberry.field(
        description="The badge's stable id, e.g. `first-check-in` or `check-in-streak` (the badges are listed in "
        "docs/feedback.md)."
    )
    name: str = strawberry.field(description="The badge's name, for people.")
    description: str = strawberry.field(description="What earns the badge.")
    earned_at: datetime = strawberry.field(description="When the fact that earned it happened (UTC).")


@strawberry.type(description="A person's level, from their points of all time.")
class Level:
    number: int = strawberry.field(
        description="The level, 1 or more: level n starts at the n-th of MOMENTUM_LEVEL_THRESHOLDS."
    )
    points: int = strawberry.field(description="The person's points of all time.")
    next_level_at: int | None = strawberry.field(description="Points needed for the next level; null at the top.")


@strawberry.type(description="Consecutive ISO weeks with a check-in.")
class Streak:
    current: int = strawberry.field(description="Weeks in the run that includes this week or last week.")
    longest: int = strawberry.field(description="Weeks in the longest run ever.")


@strawberry.type
class PersonStanding:
    """Gamification fields of a person, visible to every signed-in person."""

    id: strawberry.ID

    @strawberry.field(description="Points earned in a period; VALIDATION for a period it cannot read.")
    async def points(
        self, info: Info[Context, None], period: Annotated[str, strawberry.argument(description=d.PERIOD)] = ALL
    ) -> int:
        start, end = bounds(period)
        facts = [f for f in await loaders(info.context).facts.load(str(self.id)) if start <= f.at < end]
        return rules(info.context).points(r.counts(facts))

    @strawberry.field(description="The level their points of all time reach.")
    async def level(self, info: Info[Context, None]) -> Level:
        found = await self._standing(info)
        return Level(number=found.level, points=found.points, next_level_at=found.next_level_at)

    @strawberry.field(description="Badges the rules grant, in the order they were earned.")
    async def badges(self, info: Info[Context, None]) -> list[Badge]:
        found = await self._standing(info)
        return [Badge(id=b.id, name=b.name, description=b.description, earned_at=b.earned_at) for b in found.badges]

    @strawberry.field(description="Their run of ISO weeks with a check-in.")
    async def streak(self, info: Info[Context, None]) -> Streak:
        found = await self._standing(info)
        return Streak(current=found.current_streak, longest=found.longest_streak)

    async def _standing(self, info: Info[Context, None]):  # type: ignore[no-untyped-def]
        facts = await loaders(info.context).facts.load(str(self.id))
        return standing(facts, rules(info.context), datetime.now(UTC))
