"""Awards as events: bring a person's Achievements aggregate in line with the rules."""

from __future__ import annotations

from dataclasses import dataclass

from application.store import EventStore, Stored
from domain.achievements import Achievements

AWARDER = "momentum-awarder"


@dataclass(frozen=True)
class AchievementCommands:
    app: EventStore

    def reconcile_achievements(
        self, person_id: str, *, badges: dict[str, str], level: int, points: int, rules_version: str
    ) -> Stored | None:
        """Idempotent: nothing is stored when the aggregate already agrees."""
        uuid = Achievements.create_id(person_id)

        def reconcile() -> Stored | None:
            achievements = self.app.find(Achievements, uuid) or Achievements.start(person_id=person_id, actor=AWARDER)
            achievements.reconcile(
                badges=badges, level=level, points=points, rules_version=rules_version, actor=AWARDER
            )
            return self.app.store(achievements) if achievements.pending_events else None

        return self.app.retry(uuid, reconcile, f"achievements of {person_id} are changing too fast, retry")

    def achievements_of(self, person_id: str) -> Achievements | None:
        return self.app.find(Achievements, Achievements.create_id(person_id))
