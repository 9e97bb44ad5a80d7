"""Cycle commands: admins create, close and reopen cycles."""

from __future__ import annotations

from application.access import require_admin
from application.identity import Actor
from application.store import EventStore, Stored
from domain.cycle import Cycle


class CycleCommands(EventStore):
    def create_cycle(
        self, actor: Actor, *, name: str, starts_on: str, ends_on: str, timezone: str = "UTC"
    ) -> Stored:
        require_admin(actor)
        return self._create(
            Cycle.create(name=name, starts_on=starts_on, ends_on=ends_on, timezone=timezone, actor=actor.id)
        )

    def close_cycle(self, actor: Actor, cycle_id: str, reason: str = "") -> Stored:
        require_admin(actor)
        return self._update(Cycle, cycle_id, lambda c: c.close(reason=reason, actor=actor.id))

    def reopen_cycle(self, actor: Actor, cycle_id: str, reason: str) -> Stored:
        require_admin(actor)
        return self._update(Cycle, cycle_id, lambda c: c.reopen(reason=reason, actor=actor.id))

    def get_cycle(self, cycle_id: str) -> Cycle:
        return self._get(Cycle, cycle_id)
