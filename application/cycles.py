"""Cycle commands: admins create, close and reopen cycles."""

from __future__ import annotations

from dataclasses import dataclass

from application.access import require_admin
from application.identity import Actor
from application.store import EventStore, Stored
from domain.cycle import Cycle


@dataclass(frozen=True)
class CycleCommands:
    app: EventStore

    def create_cycle(
        self, actor: Actor, *, name: str, starts_on: str, ends_on: str, timezone: str = "UTC"
    ) -> Stored:
        require_admin(actor)
        return self.app.create(
            Cycle.create(name=name, starts_on=starts_on, ends_on=ends_on, timezone=timezone, actor=actor.id)
        )

    def close_cycle(self, actor: Actor, cycle_id: str, reason: str = "") -> Stored:
        require_admin(actor)
        return self.app.update(Cycle, cycle_id, lambda c: c.close(reason=reason, actor=actor.id))

    def reopen_cycle(self, actor: Actor, cycle_id: str, reason: str) -> Stored:
        require_admin(actor)
        return self.app.update(Cycle, cycle_id, lambda c: c.reopen(reason=reason, actor=actor.id))

    def get_cycle(self, cycle_id: str) -> Cycle:
        return self.app.get(Cycle, cycle_id)
