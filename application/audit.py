"""The audit side of the application: chain checkpoints, and time travel (a goal as it was at
a version or a moment) from the event store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from psycopg.sql import SQL, Identifier

from application.access import OwnerFacts, may_edit
from application.directory import DirectoryCommands
from application.goals import GoalCommands
from application.identity import Actor
from application.store import EventStore, Stored
from contracts.chain import root
from domain.checkpoint import ChainCheckpoint
from domain.errors import ForbiddenError, NotFoundError, ValidationError
from domain.goal import Goal

AUDIT_ROLES = frozenset({"auditor", "admin"})


def is_auditor(actor: Actor) -> bool:
    return bool(actor.roles & AUDIT_ROLES)


def require_history_reader(actor: Actor, owner: OwnerFacts | None) -> None:
    """A goal's history: auditors and admins see every goal's, an owner (a team's lead) their own."""
    if not (is_auditor(actor) or (owner is not None and may_edit(actor, owner))):
        raise ForbiddenError("only an auditor, an admin or the goal's owner may see its history")


def require_activity_reader(actor: Actor, person_id: str) -> None:
    if not (is_auditor(actor) or actor.id == person_id):
        raise ForbiddenError("only an auditor, an admin or the person themselves may see their activity")


def require_auditor(actor: Actor) -> None:
    if not is_auditor(actor):
        raise ForbiddenError("only an auditor or an admin may do this")


@dataclass(frozen=True)
class AuditCommands:
    app: EventStore
    goals: GoalCommands
    directory: DirectoryCommands

    def chain_heads(self, through_sequence: int) -> list[tuple[str, str]]:
        """(aggregate id, stored head link) of every aggregate, as of a global sequence."""
        recorder: Any = self.app.recorder
        query = SQL(
            "SELECT DISTINCT ON (c.originator_id) c.originator_id::text, c.link "
            "FROM {chain} c JOIN {events} e USING (originator_id, originator_version) "
            "WHERE e.notification_id <= %s ORDER BY c.originator_id, c.originator_version DESC"
        ).format(chain=recorder.chain_table, events=SQL("{}.{}").format(
            Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name)))
        with recorder.datastore.get_connection() as conn, conn.cursor() as cur:
            cur.execute(query, (through_sequence,))
            return [(r["originator_id"], r["link"]) for r in cur.fetchall()]

    def take_checkpoint(self, actor: Actor) -> Stored:
        require_auditor(actor)
        through = self.app.recorder.max_notification_id() or 0
        heads = self.chain_heads(through)
        checkpoint = ChainCheckpoint.take(
            through_sequence=through, aggregates=len(heads), root=root(heads), actor=actor.id
        )
        return self.app.create(checkpoint)

    # --- time travel ------------------------------------------------------------------

    def goal_as_of(self, actor: Actor, goal_id: str, *, version: int | None = None, at: datetime | None = None) -> Goal:
        """The goal exactly as it was after `version`, or at the moment `at` (snapshots make
        either fast). Auditors and admins may look at any goal, an owner at their own."""
        if (version is None) == (at is None):
            raise ValidationError("give exactly one of version and at", field="version")
        current = self.app.get(
            Goal, goal_id, field="goalId", visible=lambda goal: is_auditor(actor) or self.goals.sees_goal(actor, goal)
        )
        self._require_auditor_or_owner(actor, current)
        if at is not None:
            version = self.goal_version_at(current.id, at, current.version)
            if version == 0:
                raise NotFoundError(f"goal {goal_id} did not exist at {at.isoformat()}")
        assert version is not None
        if not 1 <= version <= current.version:
            raise ValidationError(f"version must be between 1 and {current.version}", field="version")
        return self.app.get(Goal, goal_id, version)

    def goal_version_at(self, goal_id: UUID, at: datetime, last_version: int) -> int:
        """The last version stored at or before `at` (0: none), by binary search over single
        events, since an aggregate's timestamps grow with its versions."""
        if at.tzinfo is None:
            raise ValidationError("at must carry a time zone", field="at")
        low, high = 0, last_version
        while low < high:
            middle = (low + high + 1) // 2
            (event,) = self.app.events.get(goal_id, gt=middle - 1, lte=middle)
            if cast(Goal.Event, event).timestamp <= at:
                low = middle
            else:
                high = middle - 1
        return low

    def _require_auditor_or_owner(self, actor: Actor, goal: Goal) -> None:
        require_history_reader(actor, None if is_auditor(actor) else self._owner_facts(goal))

    def goals_as_of(self, actor: Actor, goal_ids: list[str], at: datetime) -> list[Goal]:
        """Every goal of `goal_ids` that existed at `at`, as it was then (auditors only)."""
        require_auditor(actor)
        found = []
        for goal_id in goal_ids:
            current = self.app.get(Goal, goal_id)
            version = self.goal_version_at(current.id, at, current.version)
            if version:
                found.append(self.app.get(Goal, goal_id, version))
        return found

    def _owner_facts(self, goal: Goal) -> OwnerFacts:
        if goal.owner_kind == "team":
            team = self.directory.find_team(goal.owner_id)
            return OwnerFacts("team", goal.owner_id, lead_id=None if team is None else team.lead_id)
        return OwnerFacts("person", goal.owner_id)
