"""GraphQL object types of goals, key results, the directory and cycles."""

from __future__ import annotations

import enum
from collections.abc import Awaitable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from api import descriptions as d
from api.connections import Connection
from api.context import Context
from api.directory.types import Cycle, Person, Team, person, team
from api.insight import goal_fields
from api.insight.health import is_stale
from api.insight.types import GoalHealth
from api.loaders import loaders, mapped, now_or_later
from api.resolvers import optional_id, page_size, same_columns
from application.store import Stored
from projections.sql import Row

if TYPE_CHECKING:
    from api.feedback.types import Feedback



@strawberry.enum(
    description="Who may see a goal, besides its owner (a team goal: the team's lead), the owner's manager and admins."
)
class Visibility(enum.Enum):
    PUBLIC = strawberry.enum_value("public", description="Every signed-in person.")
    TEAM = strawberry.enum_value("team", description="The members of the owner's team.")
    PRIVATE = strawberry.enum_value("private", description="No one else.")


@strawberry.enum(description="What kind of owner a goal has.")
class OwnerKind(enum.Enum):
    PERSON = strawberry.enum_value("person", description="A person of the directory; ownerId is their person id.")
    TEAM = strawberry.enum_value("team", description="A team, acting through its lead; ownerId is the team id.")


@strawberry.enum(
    description="A goal's lifecycle: DRAFT → PROPOSED → ACTIVE → COMPLETED, or ABANDONED from any open state."
)
class GoalStatus(enum.Enum):
    DRAFT = strawberry.enum_value("draft", description="Being written by its owner; open.")
    PROPOSED = strawberry.enum_value("proposed", description="Waiting for the manager's approval; open.")
    ACTIVE = strawberry.enum_value("active", description="Approved and being worked on; open.")
    COMPLETED = strawberry.enum_value("completed", description="Done; accepts no check-in.")
    ABANDONED = strawberry.enum_value("abandoned", description="Given up; no longer counts in its parent's roll-up.")


@strawberry.enum(description="How often a goal expects a check-in.")
class CheckInCadence(enum.Enum):
    WEEKLY = strawberry.enum_value("weekly", description="Every 7 days after the last check-in (the default).")
    BIWEEKLY = strawberry.enum_value("biweekly", description="Every 14 days after the last check-in.")
    MONTHLY = strawberry.enum_value(
        "monthly", description="A calendar month after the last check-in (the same day, or the month's last)."
    )


@strawberry.enum(description="How a key result's value turns into progress.")
class KeyResultKind(enum.Enum):
    INCREASE_TO = strawberry.enum_value(
        "increase_to", description="Raise the value from start to target: (value − start) / (target − start), 0–100 %."
    )
    DECREASE_TO = strawberry.enum_value(
        "decrease_to", description="Lower the value from start to target: (start − value) / (start − target), 0–100 %."
    )
    STAY_ABOVE = strawberry.enum_value("stay_above", description="A guardrail: 100 % while value ≥ target, else 0 %.")
    STAY_BELOW = strawberry.enum_value("stay_below", description="A guardrail: 100 % while value ≤ target, else 0 %.")
    MILESTONE = strawberry.enum_value("milestone", description="Done or not: value 1 is 100 %, 0 is 0 %.")


@strawberry.enum(description="A turn of a goal's proposal dialogue, or a lifecycle step (named after its event).")
class DialogueKind(enum.Enum):
    PROPOSED = strawberry.enum_value("Proposed", description="The owner asked for approval (proposeGoal).")
    CHANGE_PROPOSED = strawberry.enum_value(
        "ChangeProposed", description="The owner proposed a change to the active goal (proposeGoalChange)."
    )
    APPROVED = strawberry.enum_value("Approved", description="Approved, or the proposed change applied (approveGoal).")
    REJECTED = strawberry.enum_value("Rejected", description="Refused with a reason (rejectGoal).")
    CHANGES_REQUESTED = strawberry.enum_value(
        "ChangesRequested", description="Sent back to the owner for changes (requestGoalChanges)."
    )
    COMPLETED = strawberry.enum_value("Completed", description="Marked done (completeGoal).")
    ABANDONED = strawberry.enum_value("Abandoned", description="Given up (abandonGoal).")


@strawberry.type(description="A measurable result of a goal; its progress counts in the goal's progress by its weight.")
class KeyResult:
    id: strawberry.ID = strawberry.field(description=d.KEY_RESULT_ID)
    title: str = strawberry.field(description="What is measured.")
    kind: KeyResultKind = strawberry.field(description="How the value turns into progress.")
    start: float = strawberry.field(description=d.START)
    target: float = strawberry.field(
        description="The current target (see `targetRevisions` for earlier ones). " + d.TARGET
    )
    unit: str = strawberry.field(description=d.UNIT)
    weight: float = strawberry.field(description=d.WEIGHT)
    current_value: float = strawberry.field(description="The value of the latest check-in; `start` before any.")
    progress: float = strawberry.field(
        description=d.PROGRESS + " Computed from the kind, start, target and current value."
    )
    confidence: int | None = strawberry.field(description="The latest check-in's confidence. " + d.CONFIDENCE)
    check_in_count: int = strawberry.field(description="How many check-ins this key result has had.")
    last_check_in_at: datetime | None = strawberry.field(description="When it was last checked in; null before any.")
    metric_key: str | None = strawberry.field(
        description="The metric whose measurements check it in (recordMeasurements, momentum.measurements); null "
        "when not linked."
    )

    @classmethod
    def of(cls, row: Row) -> KeyResult:
        return cls(**{
            **same_columns(cls, row),
            "id": strawberry.ID(row["id"]),
            "kind": KeyResultKind(row["kind"]),
            "start": row["start_value"],
        })


@strawberry.type(
    description="A check-in; on a key result when keyResultId is set. Never overwritten."
)
class CheckIn:
    version: int = strawberry.field(description=d.CHANGE_VERSION)
    key_result_id: strawberry.ID | None = strawberry.field(
        description="The key result checked in; null for a check-in on the goal itself."
    )
    value: float | None = strawberry.field(
        description="The key result's new value, in its unit; null on the goal itself."
    )
    progress: float = strawberry.field(description=d.PROGRESS + " Of the key result, or of the goal itself.")
    confidence: int | None = strawberry.field(description=d.CONFIDENCE)
    note: str = strawberry.field(description=d.NOTE)
    blockers: str = strawberry.field(description=d.BLOCKERS)
    actor: strawberry.ID = strawberry.field(description=d.ACTOR)
    recorded_at: datetime = strawberry.field(description=d.AT)
    sequence: int = strawberry.field(description=d.EVENT_SEQUENCE)


@strawberry.type(description="A key result's target changed by reviseKeyResultTarget, with the old target and why.")
class TargetRevision:
    version: int = strawberry.field(description=d.CHANGE_VERSION)
    key_result_id: strawberry.ID = strawberry.field(description="The key result revised.")
    previous_target: float = strawberry.field(description="The target before this revision, in the key result's unit.")
    target: float = strawberry.field(description="The new target, in the key result's unit.")
    reason: str = strawberry.field(description="Why the target changed.")
    actor: strawberry.ID = strawberry.field(description=d.ACTOR)
    revised_at: datetime = strawberry.field(description=d.AT)
    sequence: int = strawberry.field(description=d.EVENT_SEQUENCE)


@strawberry.type(description="Proposed values of a goal's details; a null field is not part of the proposal.")
class ProposedChange:
    title: str | None = strawberry.field(default=None, description="The proposed title; null keeps it.")
    description: str | None = strawberry.field(default=None, description="The proposed description; null keeps it.")
    visibility: Visibility | None = strawberry.field(
        default=None, description="The proposed visibility; null keeps it."
    )
    weight: float | None = strawberry.field(
        default=None, description="The proposed weight toward the parent; null keeps it."
    )

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
    version: int = strawberry.field(description=d.CHANGE_VERSION)
    kind: DialogueKind = strawberry.field(description="Which turn or step this is.")
    text: str = strawberry.field(description="The comment or reason given with it; may be empty.")
    changes: ProposedChange | None = strawberry.field(
        description="The change proposed (CHANGE_PROPOSED) or applied (APPROVED); null for the other kinds."
    )
    actor: strawberry.ID = strawberry.field(description=d.ACTOR)
    at: datetime = strawberry.field(description=d.AT)
    sequence: int = strawberry.field(description=d.EVENT_SEQUENCE)


def _history(rows: list[Row], kind: type) -> list[Any]:
    keep = set(kind.__annotations__)
    return [kind(**{k: v for k, v in r.items() if k in keep}) for r in rows]


@strawberry.type(description="An objective with key results, as the caller may see it (visibility rule applied).")
class Goal:
    id: strawberry.ID = strawberry.field(description="The goal's id (a UUID).")
    cycle_id: strawberry.ID | None = strawberry.field(description=d.GOAL_CYCLE)
    title: str = strawberry.field(description=f"The goal's title (1 to {d.TITLE_MAX} characters).")
    description: str = strawberry.field(description=d.GOAL_DESCRIPTION)
    owner_id: strawberry.ID = strawberry.field(description=d.OWNER_ID)
    owner_kind: OwnerKind = strawberry.field(description=d.OWNER_KIND)
    parent_id: strawberry.ID | None = strawberry.field(description=d.PARENT_ID)
    weight: float = strawberry.field(description=d.WEIGHT)
    rolls_up: bool = strawberry.field(description=d.ROLLS_UP)
    visibility: Visibility = strawberry.field(description=d.VISIBILITY)
    status: GoalStatus = strawberry.field(description="Where the goal is in its lifecycle.")
    status_reason: str = strawberry.field(
        description="The comment or reason of the step that set the status (propose, approve, complete, "
        "abandon); empty if none. Rejections and requests for changes are in `dialogue`."
    )
    own_progress: float = strawberry.field(
        description="Progress of the goal's own check-ins (recordCheckIn), 0–100: what `progress` shows "
        "when there is nothing to roll up."
    )
    confidence: int | None = strawberry.field(description="The latest check-in's (goal or key result). " + d.CONFIDENCE)
    check_in_count: int = strawberry.field(description="How many check-ins the goal and its key results have had.")
    created_at: datetime = strawberry.field(description="When the goal was created (UTC).")
    updated_at: datetime = strawberry.field(description="When the goal last changed (UTC).")
    last_check_in_at: datetime | None = strawberry.field(description="When it was last checked in; null before any.")
    check_in_cadence: CheckInCadence = strawberry.field(description="How often the goal expects a check-in.")
    version: int = strawberry.field(description=d.VERSION)
    sequence: int = strawberry.field(description=d.SEQUENCE)
    pending: strawberry.Private[dict[str, Any] | None]

    @strawberry.field(
        description="Weighted roll-up, 0–100, of key results and, if rollsUp, aligned children "
        "(abandoned ones do not count); `ownProgress` when there is nothing to weigh. Goals the caller "
        "may not see still count.",
        graphql_type=float,
    )
    def progress(self, info: Info[Context, None]) -> float | Awaitable[float]:
        return now_or_later(loaders(info.context).progress, str(self.id))

    @strawberry.field(description="No check-in for MOMENTUM_STALE_AFTER_DAYS days on an open goal.")
    def stale(self, info: Info[Context, None]) -> bool:
        last, days = self.last_check_in_at or self.created_at, info.context.services.settings.stale_after_days
        return is_stale(str(self.status.value), last, info.context.now(), days)

    @strawberry.field(
        description="Where the goal should be now, 0–100, had it moved evenly from its cycle's first day to its "
        "last (linear pace); null for a goal without a cycle."
    )
    async def expected_progress(self, info: Info[Context, None]) -> float | None:
        return await goal_fields.expected_progress(info.context, self.cycle_id)

    @strawberry.field(
        description="Progress against the cycle's pace and the last confidence (thresholds: MOMENTUM_HEALTH_*); "
        "null for a goal without a cycle or an abandoned one."
    )
    async def health(self, info: Info[Context, None]) -> GoalHealth | None:
        facts = {"status": self.status.value, "confidence": self.confidence, "check_in_count": self.check_in_count}
        return await goal_fields.health(info.context, str(self.id), self.cycle_id, facts)

    @strawberry.field(
        description="The change the owner proposed (proposeGoalChange) that the manager has not decided yet; "
        "null for none."
    )
    def pending_change(self) -> ProposedChange | None:
        return ProposedChange.of(self.pending)

    @strawberry.field(description="The goal's key results, in the order they were added.", graphql_type=list[KeyResult])
    def key_results(self, info: Info[Context, None]) -> list[KeyResult] | Awaitable[list[KeyResult]]:
        rows = now_or_later(loaders(info.context).key_results, str(self.id))
        return mapped(rows, lambda found: [KeyResult.of(r) for r in found])

    @strawberry.field(description="The owning person or team; null if the directory does not know them.")
    async def owner(
        self, info: Info[Context, None]
    ) -> Annotated[Person | Team, strawberry.union("Owner", description="A goal's owner: a person or a team.")] | None:
        if self.owner_kind == OwnerKind.TEAM:
            return await team(info, self.owner_id)
        return await person(info, self.owner_id)

    @strawberry.field(description="The goal's cycle; null for an untimed goal.")
    async def cycle(self, info: Info[Context, None]) -> Cycle | None:
        row = (
            None
            if self.cycle_id is None
            else await loaders(info.context).cycles.load(str(self.cycle_id))
        )
        return None if row is None else Cycle.of(row)

    @strawberry.field(description="Every check-in, oldest first; history is never overwritten.")
    async def check_ins(self, info: Info[Context, None]) -> list[CheckIn]:
        return _history(await loaders(info.context).check_ins.load(str(self.id)), CheckIn)

    @strawberry.field(description="Every revised target with its reason, oldest first.")
    async def target_revisions(self, info: Info[Context, None]) -> list[TargetRevision]:
        return _history(await loaders(info.context).target_revisions.load(str(self.id)), TargetRevision)

    @strawberry.field(description="The proposal dialogue and lifecycle steps, oldest first.")
    async def dialogue(self, info: Info[Context, None]) -> list[DialogueEntry]:
        rows = await loaders(info.context).dialogue.load(str(self.id))
        return [
            DialogueEntry(
                version=r["version"],
                kind=DialogueKind(r["kind"]),
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
        self, info: Info[Context, None], first: d.First = 20
    ) -> list[Annotated[Feedback, strawberry.lazy("api.feedback.types")]]:
        from api.feedback.types import Feedback

        rows = await loaders(info.context).feedback_about.load((str(self.id), page_size(first)))
        return [Feedback.of(r) for r in rows]

    @classmethod
    def of(cls, row: Row) -> Goal:
        """The goal row's columns by name; ids, enums and the renamed few made explicit."""
        return cls(**{
            **same_columns(cls, row),
            "id": strawberry.ID(str(row["id"])),
            "cycle_id": optional_id(row["cycle_id"]),
            "owner_id": strawberry.ID(row["owner_id"]),
            "owner_kind": OwnerKind(row["owner_kind"]),
            "parent_id": optional_id(row["parent_id"]),
            "visibility": Visibility(row["visibility"]),
            "status": GoalStatus(row["status"]),
            "check_in_cadence": CheckInCadence(row["check_in_cadence"]),
            "own_progress": row["progress"],
            "sequence": row["last_sequence"],
            "pending": row["pending_change"],
        })


GoalConnection = Connection[Goal]


@strawberry.type(description="A goal in the alignment tree with its rolled-up progress.")
class GoalTreeNode:
    goal: Goal = strawberry.field(description="The goal, as the caller may see it.")
    progress: float = strawberry.field(description="Its rolled-up progress, 0–100 (same as `goal.progress`).")
    children: list[GoalTreeNode] = strawberry.field(
        description="The visible goals aligned under it; a visible goal under an invisible parent is a root."
    )


@strawberry.type(description="What a goal mutation stored.")
class GoalWrite:
    goal_id: strawberry.ID = strawberry.field(description="The goal changed (or created).")
    version: int = strawberry.field(description="The goal's version after the change.")
    sequence: int | None = strawberry.field(description=d.WRITE_SEQUENCE)
    key_result_id: strawberry.ID | None = strawberry.field(
        default=None, description="The key result added, revised or checked in; null for other mutations."
    )

    @classmethod
    def of(cls, stored: Stored, key_result_id: str | None = None) -> GoalWrite:
        return cls(
            goal_id=strawberry.ID(str(stored.aggregate_id)),
            version=stored.version,
            sequence=stored.sequence,
            key_result_id=None if key_result_id is None else strawberry.ID(key_result_id),
        )


