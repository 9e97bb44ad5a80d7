"""The Momentum event-sourced application: every command of the write side."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from application.identity import Actor
from domain.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from domain.goal import Goal

MAX_ATTEMPTS = 8
AggregateT = TypeVar("AggregateT", bound=Aggregate)


@dataclass(frozen=True)
class Stored:
    """What a command stored: the aggregate it changed and the global sequence of its last event."""

    aggregate_id: UUID
    version: int
    sequence: int | None


class Momentum(Application[UUID]):
    name = "momentum"

    def create_goal(
        self,
        actor: Actor,
        *,
        title: str,
        owner_id: str | None = None,
        description: str = "",
        visibility: str = "public",
    ) -> Stored:
        owner = actor.id if owner_id is None else owner_id
        if owner != actor.id and not actor.is_admin:
            raise ForbiddenError("only an admin may create a goal for someone else")
        goal = Goal.create(
            title=title,
            description=description,
            owner_id=owner,
            visibility=visibility,
            actor=actor.id,
        )
        return self._store(goal)

    def change_goal_title(self, actor: Actor, goal_id: str, title: str, reason: str = "") -> Stored:
        def change(goal: Goal) -> None:
            self._require_owner(actor, goal)
            goal.change_title(title, actor=actor.id, reason=reason)

        return self._update(Goal, goal_id, change)

    def record_check_in(
        self,
        actor: Actor,
        goal_id: str,
        *,
        progress: float,
        confidence: int | None = None,
        note: str = "",
        blockers: str = "",
    ) -> Stored:
        def change(goal: Goal) -> None:
            self._require_owner(actor, goal)
            goal.record_check_in(
                progress=progress,
                confidence=confidence,
                note=note,
                blockers=blockers,
                actor=actor.id,
            )

        return self._update(Goal, goal_id, change)

    def get_goal(self, goal_id: str, version: int | None = None) -> Goal:
        return self._get(Goal, goal_id, version)

    @staticmethod
    def _require_owner(actor: Actor, goal: Goal) -> None:
        if goal.owner_id != actor.id and not actor.is_admin:
            raise ForbiddenError("only the goal's owner or an admin may change it")

    def _get(self, kind: type[AggregateT], aggregate_id: str, version: int | None = None) -> AggregateT:
        try:
            uuid = UUID(str(aggregate_id))
        except ValueError:
            raise ValidationError(f"{aggregate_id!r} is not a valid id", field="id") from None
        try:
            aggregate = self.repository.get(uuid, version=version)
        except AggregateNotFoundError:
            raise NotFoundError(f"{kind.__name__.lower()} {uuid} does not exist") from None
        if not isinstance(aggregate, kind):
            raise NotFoundError(f"{kind.__name__.lower()} {uuid} does not exist")
        return aggregate

    def _update(
        self, kind: type[AggregateT], aggregate_id: str, change: Callable[[AggregateT], None]
    ) -> Stored:
        """Optimistic concurrency: a lost race re-reads the aggregate and re-validates the command."""
        for attempt in range(MAX_ATTEMPTS):
            aggregate = self._get(kind, aggregate_id)
            change(aggregate)
            try:
                return self._store(aggregate)
            except IntegrityError:
                time.sleep(random.uniform(0, 0.002 * 2**attempt))  # spread the retrying racers
        raise ConflictError(f"{kind.__name__.lower()} {aggregate_id} is changing too fast, retry")

    def _store(self, aggregate: Aggregate) -> Stored:
        recordings = self.save(aggregate)
        sequence = recordings[-1].notification.id if recordings else None
        return Stored(aggregate.id, aggregate.version, sequence)
