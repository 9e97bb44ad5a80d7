"""GraphQL types of feedback, feedback requests, kudos, company values and leaderboards."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from api.context import Context
from api.types import Person, optional_id, person
from projections import feedback_reader

Row = dict[str, Any]


@strawberry.enum
class FeedbackKind(enum.Enum):
    PRAISE = "praise"
    CONSTRUCTIVE = "constructive"
    NOTE = "note"


@strawberry.enum
class FeedbackVisibility(enum.Enum):
    PRIVATE = "private"
    MANAGER = "manager"
    PUBLIC = "public"


@strawberry.enum
class FeedbackDirection(enum.Enum):
    DOWNWARD = "downward"
    UPWARD = "upward"
    PEER = "peer"


@strawberry.enum
class LeaderboardScope(enum.Enum):
    ORGANISATION = "organisation"
    TEAM = "team"


@strawberry.type(description="Feedback; only returned to those its visibility allows.")
class Feedback:
    id: strawberry.ID
    author_id: strawberry.ID
    recipient_id: strawberry.ID
    kind: FeedbackKind
    visibility: FeedbackVisibility
    direction: FeedbackDirection
    text: str
    goal_id: strawberry.ID | None
    request_id: strawberry.ID | None
    acknowledged_at: datetime | None
    given_at: datetime
    given_sequence: int = strawberry.field(
        description="The sequence of the event that gave it: the cursor for `before` and `myFeedback(after:)`."
    )
    sequence: int = strawberry.field(description="The sequence of its last change (e.g. the acknowledgement).")

    @strawberry.field
    async def author(self, info: Info[Context, None]) -> Person | None:
        return await person(info, self.author_id)

    @strawberry.field
    async def recipient(self, info: Info[Context, None]) -> Person | None:
        return await person(info, self.recipient_id)

    @classmethod
    def of(cls, row: Row) -> Feedback:
        return cls(
            id=strawberry.ID(str(row["aggregate_id"])),
            author_id=row["author_id"],
            recipient_id=row["recipient_id"],
            kind=FeedbackKind(row["kind"]),
            visibility=FeedbackVisibility(row["visibility"]),
            direction=FeedbackDirection(row["direction"]),
            text=row["text"],
            goal_id=optional_id(row["goal_id"]),
            request_id=optional_id(row["request_id"]),
            acknowledged_at=row["acknowledged_at"],
            given_at=row["given_at"],
            given_sequence=row["created_sequence"],
            sequence=row["last_sequence"],
        )


@strawberry.type
class Respondent:
    person_id: strawberry.ID
    status: str = strawberry.field(description="pending, answered or declined")
    reason: str
    feedback_id: strawberry.ID | None


@strawberry.type(description="A request for feedback, seen by the person who asked and the people asked.")
class FeedbackRequest:
    id: strawberry.ID
    requester_id: strawberry.ID
    question: str
    goal_id: strawberry.ID | None
    requested_at: datetime
    requested_sequence: int = strawberry.field(
        description="The sequence of the event that made the request: a cursor for `myFeedback(after:)`."
    )
    respondents: list[Respondent] = strawberry.field(
        description="Everyone asked, for the requester; only your own entry, for a person asked."
    )

    @strawberry.field(description="The answers the viewer may see.")
    async def answers(self, info: Info[Context, None]) -> list[Feedback]:
        ids = [str(r.feedback_id) for r in self.respondents if r.feedback_id is not None]
        if not ids:
            return []
        async with info.context.pool.connection() as conn:
            rows = await feedback_reader.feedback_by_ids(conn, info.context.actor.id, ids)
        return [Feedback.of(r) for r in sorted(rows, key=lambda r: r["created_sequence"])]

    @classmethod
    def of(cls, row: Row, viewer_id: str) -> FeedbackRequest:
        shown = {
            p: entry
            for p, entry in row["respondents"].items()
            if viewer_id == row["requester_id"] or p == viewer_id
        }
        return cls(
            id=strawberry.ID(str(row["aggregate_id"])),
            requester_id=row["requester_id"],
            question=row["question"],
            goal_id=optional_id(row["goal_id"]),
            requested_at=row["requested_at"],
            requested_sequence=row["created_sequence"],
            respondents=[
                Respondent(
                    person_id=strawberry.ID(p),
                    status=e["status"],
                    reason=e["reason"],
                    feedback_id=optional_id(e["feedback_id"]),
                )
                for p, e in sorted(shown.items())
            ],
        )


@strawberry.type(description="Recognition tied to a company value; public.")
class Kudos:
    id: strawberry.ID
    giver_id: strawberry.ID
    recipient_ids: list[strawberry.ID]
    points: int = strawberry.field(description="Points each recipient received.")
    value_id: str
    value_name: str | None
    message: str
    period: str
    given_at: datetime
    sequence: int

    @classmethod
    def of(cls, row: Row) -> Kudos:
        return cls(**{k: v for k, v in row.items() if k != "id"}, id=strawberry.ID(row["id"]))


@strawberry.type
class CompanyValue:
    id: str
    name: str
    description: str
    active: bool


@strawberry.type(description="The caller's kudos allowance for a period; what is left expires with it.")
class Allowance:
    period: str
    allowance: int
    spent: int
    remaining: int


@strawberry.type
class LeaderboardEntry:
    rank: int
    person_id: strawberry.ID
    points: int

    @strawberry.field
    async def person(self, info: Info[Context, None]) -> Person | None:
        return await person(info, self.person_id)
