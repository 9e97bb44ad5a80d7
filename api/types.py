"""GraphQL object types of goals, key results, the directory and cycles."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from api.context import Context
from api.loaders import loaders
from api.standing import PersonStanding
from application.store import Stored
from projections import reader

if TYPE_CHECKING:
    from api.feedback_types import Feedback

Row = dict[str, Any]


def _fields(row: Row) -> Row:
    """A directory or cycle row without the read model's bookkeeping columns."""
    return {k: v for k, v in row.items() if k not in ("aggregate_id", "last_sequence")}


@strawberry.enum
class Visibility(enum.Enum):
    PUBLIC = "public"
    TEAM = "team"
    PRIVATE = "private"


@strawberry.enum
class OwnerKind(enum.Enum):
    PERSON = "person"
    TEAM = "team"


@strawberry.enum
class GoalStatus(enum.Enum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    ACTIVE = "active"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


@strawberry.enum
class KeyResultKind(enum.Enum):
    INCREASE_TO = "increase_to"
    DECREASE_TO = "decrease_to"
    STAY_ABOVE = "stay_above"
    STAY_BELOW = "stay_below"
    MILESTONE = "milestone"


@strawberry.type
class Person(PersonStanding):
    id: strawberry.ID
    name: str
    email: str
    manager_id: strawberry.ID | None
    team_id: strawberry.ID | None
    active: bool
    version: int

    @strawberry.field
    async def manager(self, info: Info[Context, None]) -> Person | None:
        return await person(info, self.manager_id)

    @strawberry.field
    async def team(self, info: Info[Context, None]) -> Team | None:
        return await team(info, self.team_id)

    @strawberry.field(description="The people this person manages.")
    async def reports(self, info: Info[Context, None]) -> list[Person]:
        async with info.context.pool.connection() as conn:
            rows = await reader.people_where(conn, "manager_id", str(self.id))
        return [Person.of(r) for r in rows]

    @classmethod
    def of(cls, row: Row) -> Person:
        return cls(**_fields(row))


@strawberry.type
class Team:
    id: strawberry.ID
    name: str
    lead_id: strawberry.ID | None
    active: bool
    version: int

    @strawberry.field
    async def lead(self, info: Info[Context, None]) -> Person | None:
        return await person(info, self.lead_id)

    @strawberry.field
    async def members(self, info: Info[Context, None]) -> list[Person]:
        async with info.context.pool.connection() as conn:
            rows = await reader.people_where(conn, "team_id", str(self.id))
        return [Person.of(r) for r in rows]

    @classmethod
    def of(cls, row: Row) -> Team:
        return cls(**_fields(row))


async def person(info: Info[Context, None], person_id: str | None) -> Person | None:
    row = None if person_id is None else await loaders(info.context).people.load(str(person_id))
    return None if row is None else Person.of(row)


async def team(info: Info[Context, None], team_id: str | None) -> Team | None:
    row = None if team_id is None else await loaders(info.context).teams.load(str(team_id))
    return None if row is None else Team.of(row)


@strawberry.type
class Cycle:
    id: strawberry.ID
    name: str
    starts_on: date
    ends_on: date
    timezone: str = strawberry.field(description="IANA time zone of the cycle's dates (UTC before v2).")
    closed: bool
    status_reason: str
    version: int

    @classmethod
    def of(cls, row: Row) -> Cycle:
        return cls(id=strawberry.ID(str(row["aggregate_id"])), **_fields(row))


@strawberry.type
class KeyResult:
    id: strawberry.ID
    title: str
    kind: KeyResultKind
    start: float
    target: float
    unit: str
    weight: float
    current_value: float
    progress: float
    confidence: int | None
    check_in_count: int
    last_check_in_at: datetime | None

    @classmethod
    def of(cls, row: Row) -> KeyResult:
        return cls(
            id=strawberry.ID(row["id"]),
            title=row["title"],
            kind=KeyResultKind(row["kind"]),
            start=row["start_value"],
            target=row["target"],
            unit=row["unit"],
            weight=row["weight"],
            current_value=row["current_value"],
            progress=row["progress"],
            confidence=row["confidence"],
            check_in_count=row["check_in_count"],
            last_check_in_at=row["last_check_in_at"],
        )


@strawberry.type(
    description="A check-in; on a key result when keyResultId is set. Never overwritten."
)
class CheckIn:
    version: int
    key_result_id: strawberry.ID | None
    value: float | None
    progress: float
    confidence: int | None
    note: str
    blockers: str
    actor: strawberry.ID
    recorded_at: datetime
    sequence: int


@strawberry.type
class TargetRevision:
    version: int
    key_result_id: strawberry.ID
    previous_target: float
    target: float
    reason: str
    actor: strawberry.ID
    revised_at: datetime
    sequence: int


@strawberry.type
class ProposedChange:
    title: str | None = None
    description: str | None = None
    visibility: Visibility | None = None
    weight: float | None = None

    @classmethod
    def of(cls, changes: dict[str, Any] | None) -> ProposedChange | None:
        if not changes:
            return None
        visibility = changes.get("visibility")
        return cls(
            title=changes.get("title"),
            description=changes.get("description"),
            visibility=None if visibility is None else Visibility(visibility),
            weight=changes.get("weight"),
        )


@strawberry.type(
    description="One turn of the proposal dialogue, or a lifecycle step with its reason."
)
class DialogueEntry:
    version: int
    kind: str
    text: str
    changes: ProposedChange | None
    actor: strawberry.ID
    at: datetime
    sequence: int


def _history(rows: list[Row], kind: type) -> list[Any]:
    keep = set(kind.__annotations__)
    return [kind(**{k: v for k, v in r.items() if k in keep}) for r in rows]


@strawberry.type
class Goal:
    id: strawberry.ID
    cycle_id: strawberry.ID | None
    title: str
    description: str
    owner_id: strawberry.ID
    owner_kind: str
    parent_id: strawberry.ID | None
    weight: float
    rolls_up: bool
    visibility: Visibility
    status: str
    status_reason: str
    own_progress: float = strawberry.field(description="Progress of the goal's own check-ins.")
    confidence: int | None
    check_in_count: int
    created_at: datetime
    updated_at: datetime
    last_check_in_at: datetime | None
    version: int
    sequence: int
    pending: strawberry.Private[dict[str, Any] | None]

    @strawberry.field(
        description="Weighted roll-up of key results and, if rollsUp, aligned children."
    )
    async def progress(self, info: Info[Context, None]) -> float:
        return await loaders(info.context).progress.load(str(self.id))

    @strawberry.field(description="No check-in for MOMENTUM_STALE_AFTER_DAYS days on an open goal.")
    def stale(self, info: Info[Context, None]) -> bool:
        days = info.context.services.settings.stale_after_days
        last = self.last_check_in_at or self.created_at
        return self.status in reader.OPEN_STATUSES and last < datetime.now(UTC) - timedelta(
            days=days
        )

    @strawberry.field
    def pending_change(self) -> ProposedChange | None:
        return ProposedChange.of(self.pending)

    @strawberry.field
    async def key_results(self, info: Info[Context, None]) -> list[KeyResult]:
        return [KeyResult.of(r) for r in await loaders(info.context).key_results.load(str(self.id))]

    @strawberry.field
    async def owner(
        self, info: Info[Context, None]
    ) -> Annotated[Person | Team, strawberry.union("Owner")] | None:
        if self.owner_kind == "team":
            return await team(info, self.owner_id)
        return await person(info, self.owner_id)

    @strawberry.field
    async def cycle(self, info: Info[Context, None]) -> Cycle | None:
        row = (
            None
            if self.cycle_id is None
            else await loaders(info.context).cycles.load(str(self.cycle_id))
        )
        return None if row is None else Cycle.of(row)

    @strawberry.field(description="Every check-in, oldest first; history is never overwritten.")
    async def check_ins(self, info: Info[Context, None]) -> list[CheckIn]:
        return _history(await self._history(info, "goal_check_ins"), CheckIn)

    @strawberry.field(description="Every revised target with its reason, oldest first.")
    async def target_revisions(self, info: Info[Context, None]) -> list[TargetRevision]:
        return _history(await self._history(info, "goal_target_revisions"), TargetRevision)

    @strawberry.field(description="The proposal dialogue and lifecycle steps, oldest first.")
    async def dialogue(self, info: Info[Context, None]) -> list[DialogueEntry]:
        rows = await self._history(info, "goal_dialogue")
        return [
            DialogueEntry(
                version=r["version"],
                kind=r["kind"],
                text=r["text"],
                changes=ProposedChange.of(r["changes"]),
                actor=r["actor"],
                at=r["at"],
                sequence=r["sequence"],
            )
            for r in rows
        ]

    @strawberry.field(description="Feedback about this goal that the viewer may see, newest first.")
    async def feedback(
        self, info: Info[Context, None], first: int = 20
    ) -> list[Annotated[Feedback, strawberry.lazy("api.feedback_types")]]:
        from api.feedback_api import _feedback

        return await _feedback(info, "goal_id", str(self.id), first, None, None)

    async def _history(self, info: Info[Context, None], table: str) -> list[Row]:
        async with info.context.pool.connection() as conn:
            return await reader.history(conn, table, str(self.id))

    @classmethod
    def of(cls, row: Row) -> Goal:
        return cls(
            id=strawberry.ID(str(row["id"])),
            cycle_id=optional_id(row["cycle_id"]),
            title=row["title"],
            description=row["description"],
            owner_id=strawberry.ID(row["owner_id"]),
            owner_kind=row["owner_kind"],
            parent_id=optional_id(row["parent_id"]),
            weight=row["weight"],
            rolls_up=row["rolls_up"],
            visibility=Visibility(row["visibility"]),
            status=row["status"],
            status_reason=row["status_reason"],
            own_progress=row["progress"],
            confidence=row["confidence"],
            check_in_count=row["check_in_count"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            last_check_in_at=row["last_check_in_at"],
            version=row["version"],
            sequence=row["last_sequence"],
            pending=row["pending_change"],
        )


def optional_id(value: Any) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(str(value))


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None

    @classmethod
    def of(cls, edges: list[Any], has_next_page: bool) -> PageInfo:
        """The page info of `edges`, which carry a `cursor`."""
        return cls(has_next_page=has_next_page, end_cursor=edges[-1].cursor if edges else None)


@strawberry.type
class GoalEdge:
    cursor: str
    node: Goal


@strawberry.type
class GoalConnection:
    edges: list[GoalEdge]
    page_info: PageInfo


@strawberry.type(description="A goal in the alignment tree with its rolled-up progress.")
class GoalTreeNode:
    goal: Goal
    progress: float
    children: list[GoalTreeNode]


@strawberry.type
class Me:
    id: strawberry.ID
    roles: list[str]

    @strawberry.field(description="This person in the directory, if registered.")
    async def person(self, info: Info[Context, None]) -> Person | None:
        return await person(info, self.id)


@strawberry.type(description="What a goal mutation stored.")
class GoalWrite:
    goal_id: strawberry.ID
    version: int
    sequence: int | None = strawberry.field(
        description="Global position of the stored event; pass it as `consistency` to read it."
    )
    key_result_id: strawberry.ID | None = None

    @classmethod
    def of(cls, stored: Stored, key_result_id: str | None = None) -> GoalWrite:
        return cls(
            goal_id=strawberry.ID(str(stored.aggregate_id)),
            version=stored.version,
            sequence=stored.sequence,
            key_result_id=None if key_result_id is None else strawberry.ID(key_result_id),
        )


@strawberry.type(description="What a directory or cycle mutation stored.")
class Write:
    id: strawberry.ID = strawberry.field(description="The person id, team id or cycle id.")
    version: int
    sequence: int | None
