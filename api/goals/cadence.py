"""Check-in cadence on the read side: the check-ins due for a person, and the reminder type."""

from __future__ import annotations

from datetime import datetime, timedelta

import strawberry
from strawberry.types import Info

from api import descriptions as d
from api.context import Context
from api.goals.types import CheckInCadence, Goal
from api.insight.health import due_at
from api.resolvers import viewer
from application.identity import Actor
from domain.errors import ForbiddenError
from projections.directory import queries as directory_reader
from projections.goals import queries as goal_reader
from projections.sql import Row


@strawberry.type(description="A goal whose check-in is due: its cadence has passed since the last check-in.")
class CheckInDue:
    goal: Goal = strawberry.field(description="The goal, as the caller may see it.")
    cadence: CheckInCadence = strawberry.field(description="The goal's check-in cadence.")
    due_at: datetime = strawberry.field(
        description="When the check-in became due: a cadence period after the last check-in (or the goal's creation)."
    )
    overdue: bool = strawberry.field(description="MOMENTUM_CHECK_IN_GRACE_DAYS have passed since `dueAt`.")


@strawberry.type(description="A check-in that became due (the event CheckInBecameDue), for the person who checks in.")
class CheckInReminder:
    goal: Goal = strawberry.field(description="The goal, as the caller may see it now.")
    cadence: CheckInCadence = strawberry.field(description="The goal's cadence when the check-in became due.")
    due_at: datetime = strawberry.field(description="The due moment this reminder is for.")
    sequence: int = strawberry.field(description=d.EVENT_SEQUENCE)

    @classmethod
    def of(cls, reminder: Row, goal: Row) -> CheckInReminder:
        return cls(goal=Goal.of(goal), cadence=CheckInCadence(reminder["cadence"]), due_at=reminder["due_at"],
                   sequence=reminder["sequence"])


async def require_due_reader(info: Info[Context, None], person_id: str) -> None:
    """A person's due check-ins: they themselves, their manager (now) and admins."""
    actor: Actor = info.context.actor
    if actor.is_admin or actor.id == person_id:
        return
    async with info.context.pool.connection() as conn:
        found = await directory_reader.people(conn, [person_id])
    if not found or found[0]["manager_id"] != actor.id:
        raise ForbiddenError("only the person, their manager or an admin may see their due check-ins")


def due(row: Row, now: datetime, grace_days: int) -> CheckInDue | None:
    moment = due_at(row)
    if moment > now:
        return None
    return CheckInDue(goal=Goal.of(row), cadence=CheckInCadence(row["check_in_cadence"]), due_at=moment,
                      overdue=now >= moment + timedelta(days=grace_days))


@strawberry.type
class CadenceQuery:
    @strawberry.field(
        description="The check-ins due or overdue on the active goals (of open cycles) that a person checks in "
        "(their own and those of teams they lead), oldest due first; only goals the caller may see. Asked by "
        "the person, their manager or an admin."
    )
    async def check_ins_due(
        self, info: Info[Context, None], person_id: d.PersonId, consistency: d.Consistency = None
    ) -> list[CheckInDue]:
        person = str(person_id)
        await require_due_reader(info, person)
        settings = info.context.services.settings
        async with info.context.pool.connection() as conn:
            rows = await goal_reader.checking_in(conn, viewer(info.context), person)
        now = info.context.now()
        found = [item for row in rows if (item := due(row, now, settings.check_in_grace_days)) is not None]
        return sorted(found, key=lambda item: item.due_at)
