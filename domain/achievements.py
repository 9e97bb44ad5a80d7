"""A person's awarded badges and level, recorded as events so integrators see them. The
awarder reconciles this aggregate with what the gamification rules say; one award per badge
per person, however often the awarder runs."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

NAMESPACE = uuid5(NAMESPACE_URL, "urn:momentum:achievements")


class Achievements(Aggregate):
    """Badges awarded to a person (withdrawn only when a changed rule no longer grants
    them) and the level they have reached, each with the version of the rules."""

    @staticmethod
    def create_id(person_id: str) -> UUID:
        return uuid5(NAMESPACE, f"person:{person_id}")

    @classmethod
    def start(cls, *, person_id: str, actor: str) -> Achievements:
        return cls(person_id=person_id, actor=actor)

    @event("Started")
    def __init__(self, *, person_id: str, actor: str) -> None:
        self.person_id = person_id
        self.badges: set[str] = set()
        self.level = 0

    def reconcile(self, *, badges: dict[str, str], level: int, points: int, rules_version: str, actor: str) -> None:
        """`badges`: badge id → when it was earned, as the rules now say."""
        for badge in sorted(set(badges) - self.badges):
            self._badge_awarded(
                badge=badge, earned_at=badges[badge], rules_version=rules_version, actor=actor
            )
        for badge in sorted(self.badges - set(badges)):
            self._badge_withdrawn(badge=badge, rules_version=rules_version, actor=actor)
        if level != self.level:
            self._level_reached(level=level, points=points, rules_version=rules_version, actor=actor)

    @event("BadgeAwarded")
    def _badge_awarded(self, *, badge: str, earned_at: str, rules_version: str, actor: str) -> None:
        self.badges.add(badge)

    @event("BadgeWithdrawn")
    def _badge_withdrawn(self, *, badge: str, rules_version: str, actor: str) -> None:
        self.badges.discard(badge)

    @event("LevelReached")
    def _level_reached(self, *, level: int, points: int, rules_version: str, actor: str) -> None:
        self.level = level
