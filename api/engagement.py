"""`teamEngagement`: check-in adherence, feedback, requests, kudos and points of a team's
members in a period, counted only from what the viewer may see."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from api import descriptions as d
from api.context import Context
from api.gamification.types import rules
from api.resolvers import viewer
from domain.cadence import adherence
from domain.errors import NotFoundError
from domain.periods import bounds, period_of
from projections.directory import queries as directory_reader
from projections.feedback import engagement as feedback_reader
from projections.gamification.queries import counts_between
from projections.goals import queries as goal_reader
from projections.sql import Row

DIRECTIONS = ("downward", "upward", "peer")


@strawberry.type(description="Feedback counted by direction (decided from the org chart when it was given).")
class DirectionCounts:
    downward: int = strawberry.field(description="From a manager above, in the manager chain.")
    upward: int = strawberry.field(description="To a manager above, in the manager chain.")
    peer: int = strawberry.field(description="Neither.")

    @strawberry.field(description="All directions.")
    def total(self) -> int:
        return self.downward + self.upward + self.peer

    @classmethod
    def of(cls, counts: dict[str, int]) -> DirectionCounts:
        return cls(**{direction: counts.get(direction, 0) for direction in DIRECTIONS})


@strawberry.type(description="Check-ins made against each goal's cadence.")
class CheckInAdherence:
    expected: int = strawberry.field(
        description="Whole cadence periods, within the period and since each goal's creation, of the member's "
        "active goals (of open cycles) that the viewer may see."
    )
    made: int = strawberry.field(description="Of those, the periods with at least one check-in.")

    @strawberry.field(description="The share made / expected; null when nothing was expected.")
    def rate(self) -> float | None:
        return None if self.expected == 0 else round(self.made / self.expected, 4)


@strawberry.type(description="Kudos of one company value, given and received.")
class ValueKudos:
    value_id: strawberry.ID = strawberry.field(description="The company value.")
    given: int = strawberry.field(description="Kudos given (one per kudos, whatever the number of recipients).")
    points_given: int = strawberry.field(description="Points given: each kudos' points times its recipients.")
    received: int = strawberry.field(description="Kudos received.")
    points_received: int = strawberry.field(description="Points received.")


@strawberry.type(description="One member's engagement in the period, as the viewer may see it.")
class MemberEngagement:
    person_id: strawberry.ID = strawberry.field(description=d.PERSON_ID)
    check_ins: CheckInAdherence = strawberry.field(description="Check-in adherence against each goal's cadence.")
    feedback_given: DirectionCounts = strawberry.field(description="Feedback given (answers to requests included).")
    feedback_received: DirectionCounts = strawberry.field(description="Feedback received.")
    requests_answered: DirectionCounts = strawberry.field(description="Feedback given in answer to a request.")
    feedback_requested: int = strawberry.field(
        description="Feedback requests sent; only those the viewer sent or was asked by."
    )
    kudos: list[ValueKudos] = strawberry.field(description="Kudos by company value, ordered by value id.")
    points: int = strawberry.field(description="Points earned in the period (as on the leaderboard).")


@strawberry.type(description="A team's engagement in a period.")
class TeamEngagement:
    team_id: strawberry.ID = strawberry.field(description=d.TEAM_ID)
    period: str = strawberry.field(description=d.PERIOD)
    starts_at: datetime = strawberry.field(description="The period's start (inclusive, UTC).")
    ends_at: datetime = strawberry.field(description="The period's end (exclusive, UTC).")
    members: list[MemberEngagement] = strawberry.field(description="The team's active members now, by person id.")


def _adherence(goals: list[Row], times: list[Row], start: datetime, end: datetime) -> dict[str, tuple[int, int]]:
    moments: dict[str, list[datetime]] = defaultdict(list)
    for row in times:
        moments[row["goal_id"]].append(row["recorded_at"])
    found: dict[str, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for goal in goals:
        expected, made = adherence(max(start, goal["created_at"]), end, goal["check_in_cadence"], moments[goal["id"]])
        total = found[goal["owner_id"]]
        found[goal["owner_id"]] = (total[0] + expected, total[1] + made)
    return found


def _feedback(rows: list[Row]) -> dict[tuple[str, str], dict[str, int]]:
    """(person, given | received | answered) → direction → count."""
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts[(row["author_id"], "given")][row["direction"]] += 1
        counts[(row["recipient_id"], "received")][row["direction"]] += 1
        if row["answer"]:
            counts[(row["author_id"], "answered")][row["direction"]] += 1
    return counts


def _kudos(rows: list[Row]) -> dict[str, dict[str, list[int]]]:
    """person → value → [given, points given, received, points received]."""
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    for row in rows:
        given = counts[row["giver_id"]][row["value_id"]]
        given[0], given[1] = given[0] + 1, given[1] + row["points"] * len(row["recipient_ids"])
        for recipient in row["recipient_ids"]:
            received = counts[recipient][row["value_id"]]
            received[2], received[3] = received[2] + 1, received[3] + row["points"]
    return counts


@strawberry.type
class EngagementQuery:
    @strawberry.field(
        description="Check-in adherence, feedback by direction, requests, kudos by value and points of a team's "
        "members in a period (default: this month), counted only from what the caller may see: a private goal "
        "or feedback the caller may not see is in no one's numbers."
    )
    async def team_engagement(
        self, info: Info[Context, None], team_id: Annotated[strawberry.ID, strawberry.argument(description=d.TEAM_ID)],
        period: Annotated[str | None, strawberry.argument(
            description=d.PERIOD + " Null: the current calendar month (UTC)."
        )] = None,
        consistency: d.Consistency = None,
    ) -> TeamEngagement:
        me, now = viewer(info.context), info.context.now()
        key = period or period_of(now, "month")
        start, end = bounds(key)
        until = min(end, max(start, now))
        async with info.context.pool.connection() as conn:
            if not await directory_reader.teams(conn, [str(team_id)]):
                raise NotFoundError(f"team {team_id} does not exist", field="teamId")
            people = sorted(r["id"] for r in await directory_reader.people_where(conn, [str(team_id)], column="team_id")
                            if r["active"])
            goals = await goal_reader.adherence_goals(conn, me, people)
            times = await goal_reader.check_in_times(conn, [g["id"] for g in goals], start, until)
            feedback = _feedback(await feedback_reader.feedback_between(conn, me.id, people, start, end))
            sent = await feedback_reader.requests_between(conn, me.id, people, start, end)
            requested = Counter(r["requester_id"] for r in sent)
            kudos = _kudos(await feedback_reader.kudos_between(conn, people, start, end))
            counts = await counts_between(conn, start, end, str(team_id))
        scoring, adhered = rules(info.context), _adherence(goals, times, start, until)
        members = [_member(p, adhered[p], feedback, requested[p], kudos[p], scoring.points(counts.get(p, {})))
                   for p in people]
        return TeamEngagement(team_id=team_id, period=key, starts_at=start, ends_at=end, members=members)


def _member(
    person: str, adhered: tuple[int, int], feedback: dict[tuple[str, str], dict[str, int]], requested: int,
    kudos: dict[str, list[int]], points: int,
) -> MemberEngagement:
    return MemberEngagement(
        person_id=strawberry.ID(person),
        check_ins=CheckInAdherence(expected=adhered[0], made=adhered[1]),
        feedback_given=DirectionCounts.of(feedback[(person, "given")]),
        feedback_received=DirectionCounts.of(feedback[(person, "received")]),
        requests_answered=DirectionCounts.of(feedback[(person, "answered")]),
        feedback_requested=requested,
        kudos=[ValueKudos(value_id=strawberry.ID(value), given=c[0], points_given=c[1], received=c[2],
                          points_received=c[3]) for value, c in sorted(kudos.items())],
        points=points,
    )



