"""Check-in reminders: a goal's check-in that became due, recorded once per goal and due
moment. The aggregate's id is derived from both, so whoever records the same due check-in
again (a restarted or a second scheduler) is refused by the store and nothing is stored twice."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.cadence import checked_cadence
from domain.rules import identifier

NAMESPACE = uuid5(NAMESPACE_URL, "urn:momentum:check-in-reminders")


class CheckInReminder(Aggregate):
    """A check-in of a goal that became due at `due_at` (ISO 8601, UTC), for `person_id` (the
    goal's owner, or the lead of an owning team), at the goal's cadence then."""

    @staticmethod
    def create_id(goal_id: str, due_at: str) -> UUID:
        return uuid5(NAMESPACE, f"{goal_id}/{due_at}")

    @classmethod
    def record(cls, *, goal_id: str, person_id: str, cadence: str, due_at: str, actor: str) -> CheckInReminder:
        return cls(
            goal_id=identifier(goal_id, "goalId"), person_id=identifier(person_id, "personId"),
            cadence=checked_cadence(cadence), due_at=due_at, actor=actor,
        )

    @event("CheckInBecameDue")
    def __init__(self, *, goal_id: str, person_id: str, cadence: str, due_at: str, actor: str) -> None:
        self.goal_id = goal_id
        self.person_id = person_id
        self.due_at = due_at
