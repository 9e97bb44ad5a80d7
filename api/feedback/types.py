"""GraphQL types of feedback, feedback requests, kudos, company values and leaderboards."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry
from strawberry.types import Info

from api import descriptions as d
from api.connections import Connection
from api.context import Context
from api.directory.types import Person, person, person_field
from api.loaders import loaders
from api.resolvers import Row, optional_id


@strawberry.enum(description="What feedback is meant as.")
class FeedbackKind(enum.Enum):
    PRAISE = strawberry.enum_value("praise", description="Recognition of something done well.")
    CONSTRUCTIVE = strawberry.enum_value("constructive", description="Something to do differently.")
    NOTE = strawberry.enum_value("note", description="An observation, neither praise nor criticism.")


@strawberry.enum(description="Who may read feedback; fixed once given. Admins do not see PRIVATE or MANAGER feedback.")
class FeedbackVisibility(enum.Enum):
    PRIVATE = strawberry.enum_value("private", description="The author and the recipient only.")
    MANAGER = strawberry.enum_value(
        "manager", description="Also the recipient's manager at the time it was given (not a later manager)."
    )
    PUBLIC = strawberry.enum_value("public", description="Every signed-in person.")


@strawberry.enum(description="The author's place relative to the recipient in the org chart when it was given.")
class FeedbackDirection(enum.Enum):
    DOWNWARD = strawberry.enum_value("downward", description="The author is above the recipient in the manager chain.")
    UPWARD = strawberry.enum_value("upward", description="The author is below the recipient in the manager chain.")
    PEER = strawberry.enum_value("peer", description="Neither (or the author is not in the directory).")


@strawberry.enum(description="Whom a leaderboard ranks.")
class LeaderboardScope(enum.Enum):
    ORGANISATION = strawberry.enum_value("organisation", description="Everyone with points.")
    TEAM = strawberry.enum_value("team", description="The current members of one team (give teamId).")


@strawberry.enum(description="Where a person asked for feedback stands with the request.")
class RespondentStatus(enum.Enum):
    PENDING = strawberry.enum_value("pending", description="Neither answered nor declined yet.")
    ANSWERED = strawberry.enum_value("answered", description="Answered with feedback (feedbackId).")
    DECLINED = strawberry.enum_value("declined", description="Declined, with a reason.")


@strawberry.type(description="Feedback; only returned to those its visibility allows.")
class Feedback:
    id: strawberry.ID = strawberry.field(description="The feedback's id (a UUID).")
    author_id: strawberry.ID = strawberry.field(description="Who gave it: a person id.")
    recipient_id: strawberry.ID = strawberry.field(description="Who it is for: a person id.")
    kind: FeedbackKind = strawberry.field(description="What it is meant as.")
    visibility: FeedbackVisibility = strawberry.field(description="Who may read it; fixed once given.")
    direction: FeedbackDirection = strawberry.field(
        description="Decided from the org chart when it was given; never changes."
    )
    text: str = strawberry.field(description="The feedback itself. " + d.TEXT)
    goal_id: strawberry.ID | None = strawberry.field(description="The goal it is about; null if none.")
    request_id: strawberry.ID | None = strawberry.field(description="The request it answers; null if none.")
    acknowledged_at: datetime | None = strawberry.field(
        description="When the recipient acknowledged it; null until then."
    )
    given_at: datetime = strawberry.field(description="When it was given (UTC).")
    given_sequence: int = strawberry.field(
        description="The sequence of the event that gave it: the value for `myFeedback(after:)` (and the "
        "deprecated `before`)."
    )
    sequence: int = strawberry.field(description="The sequence of its last change (e.g. the acknowledgement).")

    author = person_field("author_id", "The author in the directory; null if not registered (e.g. an admin).")
    recipient = person_field("recipient_id", "The recipient in the directory; null if no longer known.")

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


@strawberry.type(description="A person asked for feedback, and where they stand.")
class Respondent:
    person_id: strawberry.ID = strawberry.field(description="The person asked.")
    status: RespondentStatus = strawberry.field(description="Whether they answered, declined or neither yet.")
    reason: str = strawberry.field(description="Why they declined; empty otherwise.")
    feedback_id: strawberry.ID | None = strawberry.field(
        description="Their answer (see `answers` for the feedback you may read); null until they answer."
    )


@strawberry.type(description="A request for feedback, seen by the person who asked and the people asked.")
class FeedbackRequest:
    id: strawberry.ID = strawberry.field(
        description="The request's id (a UUID): answer it with giveFeedback(requestId)."
    )
    requester_id: strawberry.ID = strawberry.field(description="Who asked: a person id.")
    question: str = strawberry.field(description="What the requester asks. " + d.TEXT)
    goal_id: strawberry.ID | None = strawberry.field(description="The goal the request is about; null if none.")
    requested_at: datetime = strawberry.field(description="When it was asked (UTC).")
    requested_sequence: int = strawberry.field(
        description="The sequence of the event that made the request: a value for `myFeedback(after:)`."
    )
    respondents: list[Respondent] = strawberry.field(
        description="Everyone asked, for the requester; only your own entry, for a person asked."
    )

    @strawberry.field(description="The answers the viewer may see.")
    async def answers(self, info: Info[Context, None]) -> list[Feedback]:
        ids = [str(r.feedback_id) for r in self.respondents if r.feedback_id is not None]
        rows = [r for r in await loaders(info.context).feedback.load_many(ids) if r is not None]  # None: not visible
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
                    status=RespondentStatus(e["status"]),
                    reason=e["reason"],
                    feedback_id=optional_id(e["feedback_id"]),
                )
                for p, e in sorted(shown.items())
            ],
        )


@strawberry.type(description="Recognition tied to a company value; public.")
class Kudos:
    id: strawberry.ID = strawberry.field(description="The kudos' id.")
    giver_id: strawberry.ID = strawberry.field(description="Who gave it: a person id.")
    recipient_ids: list[strawberry.ID] = strawberry.field(
        description="Who received it: person ids, in the order given."
    )
    points: int = strawberry.field(description="Points each recipient received.")
    value_id: str = strawberry.field(description="The company value it recognises (`CompanyValue.id`).")
    value_name: str | None = strawberry.field(description="That value's current name; null if the value is unknown.")
    message: str = strawberry.field(description="The giver's message. " + d.TEXT)
    period: str = strawberry.field(description="The allowance period the points came from. " + d.PERIOD)
    given_at: datetime = strawberry.field(description="When it was given (UTC).")
    sequence: int = strawberry.field(
        description=d.EVENT_SEQUENCE + " The value for `kudosFeed(after:)` (and the deprecated `before`)."
    )

    @classmethod
    def of(cls, row: Row) -> Kudos:
        return cls(**{k: v for k, v in row.items() if k != "id"}, id=strawberry.ID(row["id"]))


@strawberry.type(description="A value of the company that kudos recognise; admins keep the list.")
class CompanyValue:
    id: str = strawberry.field(description="The value's id, chosen by the admin who defined it; giveKudos names it.")
    name: str = strawberry.field(description="The value's name.")
    description: str = strawberry.field(description="What the value means; may be empty.")
    active: bool = strawberry.field(description="False once retired: kudos can no longer name it.")


@strawberry.type(description="The caller's kudos allowance for a period; what is left expires with it.")
class Allowance:
    period: str = strawberry.field(description="The current period (MOMENTUM_KUDOS_PERIOD). " + d.PERIOD)
    allowance: int = strawberry.field(
        description="Points the caller may give in the period (MOMENTUM_KUDOS_ALLOWANCE)."
    )
    spent: int = strawberry.field(description="Points given so far in the period.")
    remaining: int = strawberry.field(description="Points still to give in the period: allowance − spent.")


@strawberry.type(description="A place on a leaderboard.")
class LeaderboardEntry:
    rank: int = strawberry.field(description="1 for the most points; equal points share a rank.")
    person_id: strawberry.ID = strawberry.field(description="The person ranked.")
    points: int = strawberry.field(description="Points earned in the period (0 or more).")

    @strawberry.field(description="The person ranked, in the directory; null if no longer known.")
    async def person(self, info: Info[Context, None]) -> Person | None:
        return await person(info, self.person_id)


FeedbackConnection = Connection[Feedback]
FeedbackRequestConnection = Connection[FeedbackRequest]
KudosConnection = Connection[Kudos]
