"""Check-in reminders as events: the scheduler (consumers/reminders.py) records each due check-in once."""

from __future__ import annotations

from dataclasses import dataclass

from eventsourcing.persistence import IntegrityError

from application.store import EventStore, Stored
from domain.reminders import CheckInReminder

REMINDER = "momentum-reminders"


@dataclass(frozen=True)
class ReminderCommands:
    app: EventStore

    def record_due(self, *, goal_id: str, person_id: str, cadence: str, due_at: str) -> Stored | None:
        """Stores `CheckInBecameDue` unless this goal's check-in due at `due_at` is recorded
        already (by this or any other process): then nothing, and None."""
        if self.app.find(CheckInReminder, CheckInReminder.create_id(goal_id, due_at)) is not None:
            return None
        reminder = CheckInReminder.record(
            goal_id=goal_id, person_id=person_id, cadence=cadence, due_at=due_at, actor=REMINDER
        )
        try:
            return self.app.store(reminder)
        except IntegrityError:  # another scheduler recorded it between the look and the save
            return None
