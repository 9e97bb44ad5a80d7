"""The awarder: records what the gamification rules grant as events (BadgeAwarded,
BadgeWithdrawn, LevelReached on each person's Achievements aggregate), so integrators see
awards on the stream.

The read model never folds these events back into badges or levels: those are computed from
the facts by the rules. Awards follow the rules, not the other way round, so changing a rule
and rebuilding gives the same badges live and rebuilt, and the awarder, on its next start,
reconciles every person with the new rules (awarding or withdrawing, with the rules'
version in each event). Reconciling is idempotent: an aggregate that agrees stores nothing.
A person who cannot be reconciled is logged with the error and skipped (until their next
fact, or the next start); everyone else is still reconciled."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import psycopg
from eventsourcing import persistence as es

from application.momentum import Momentum
from consumers.sessions import Worker
from projections import notices, positions
from projections.gamification.queries import FACTS_OF_PEOPLE, grouped
from projections.gamification.rules import Rules
from projections.gamification.standing import standing
from settings import Settings

log = logging.getLogger(__name__)
# failures of the connection, not of a person's facts: the awarder starts over
RECOVERABLE = (psycopg.OperationalError, psycopg.InterfaceError, es.OperationalError, es.InterfaceError)


class Awarder(Worker):
    name, recoverable = "awarder", RECOVERABLE

    def __init__(
        self, app: Momentum, connect: Callable[[], psycopg.Connection[Any]], rules: Rules, settings: Settings
    ) -> None:
        super().__init__(settings, connect)
        self.app = app
        self.rules = rules
        self.since = 0  # the sequence every partition had reached at the last award, across sessions

    def award(self, conn: psycopg.Connection[Any], since: int = 0, until: int | None = None) -> None:
        """Reconcile every registered person with a fact whose event sequence is in
        (since, until]. Partitions are projected at different paces, so the caller passes
        as `until` the sequence every partition has reached: no fact below it comes later."""
        rows = conn.execute(
            "SELECT DISTINCT f.person_id FROM gamification_facts f JOIN people p ON p.id = f.person_id "
            "WHERE f.sequence > %s AND (%s::bigint IS NULL OR f.sequence <= %s) ORDER BY f.person_id",
            (since, until, until),
        ).fetchall()
        if not rows:
            return
        people = [person for (person,) in rows]
        facts = grouped(conn.execute(FACTS_OF_PEOPLE, (people,)).fetchall())
        awarded = {
            person: (set(badges), level)
            for person, badges, level in conn.execute(
                "SELECT person_id, badges, level FROM achievements WHERE person_id = ANY(%s)", (people,)
            ).fetchall()
        }
        for person in people:
            try:
                self._reconcile(person, facts[person], awarded.get(person))
            except RECOVERABLE:
                raise
            except Exception:  # noqa: BLE001 - not hidden (logged with its traceback); one person must not stop all
                log.exception("awarder: cannot reconcile %s; skipped until their next fact", person)

    def _reconcile(self, person: str, facts: Any, awarded: tuple[set[str], int] | None) -> None:
        found = standing(facts, self.rules, datetime.now(UTC))
        badges = {b.id: b.earned_at.isoformat() for b in found.badges}
        if awarded != (set(badges), found.level):
            self.app.achievements.reconcile_achievements(
                person, badges=badges, level=found.level, points=found.points, rules_version=self.rules.version
            )

    def session(self, stop: threading.Event) -> None:
        """Award at start (the rules may have changed), then after each projector commit."""
        with self.connect() as conn:
            conn.autocommit = True
            conn.execute(f"LISTEN {notices.CHANNEL}")
            while not stop.is_set():
                self.heartbeat.beat(conn)
                reached = positions.reached_sequence_now(
                    conn, self.settings.kafka_topic, self.settings.kafka_partitions
                )
                if reached > self.since:
                    self.award(conn, self.since, reached)
                    self.since = reached
                for _ in conn.notifies(timeout=1.0, stop_after=1):
                    pass
