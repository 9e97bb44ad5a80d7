"""A check-in reminder's row, folded from its one event. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contracts.envelope import Envelope
from projections.readmodel import Fold
from projections.views import opened


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
    return opened(ReminderView, e, recorded_at=e["time"], sequence=e["sequence"])


REMINDERS = Fold("checkinreminder", {"CheckInBecameDue": _became_due})
