"""A check-in reminder's row, folded from its one event. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contracts.envelope import Envelope
from projections.readmodel import Fold


@dataclass(frozen=True)
class ReminderView:
    aggregate_id: str
    goal_id: str
    person_id: str
    cadence: str
    due_at: str
    recorded_at: str
    sequence: int
    version: int
    last_sequence: int


def _became_due(_: Any, e: Envelope) -> ReminderView:
    d = e["data"]
    return ReminderView(
        e["subject"], d["goal_id"], d["person_id"], d["cadence"], d["due_at"], e["time"], e["sequence"],
        e["aggregateversion"], e["sequence"],
    )


REMINDERS = Fold("checkinreminder", {"CheckInBecameDue": _became_due})
