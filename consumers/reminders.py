"""The reminder scheduler: records `CheckInBecameDue` for every active goal whose check-in fell
due at its cadence, once per goal and due moment.

Each pass reads the goals read model (when each goal last had a check-in, or was created; its
cadence; who checks it in) and, for a goal whose latest due moment is later than the one last
reminded, asks the application to record it. The reminder's aggregate id is derived from the
goal and the due moment, so a restarted scheduler, or a second one, stores nothing twice; the
event store is the scheduler's memory. Only the latest due moment of a goal is recorded: a
scheduler that was down for three weeks records one reminder per goal, not three."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC
from typing import Any

import psycopg
from eventsourcing import persistence as es

from application.momentum import Momentum
from consumers.sessions import Worker
from domain.cadence import CADENCES, latest_due
from domain.errors import DomainError
from projections.reminders.queries import CANDIDATES
from settings import Settings

log = logging.getLogger(__name__)
RECOVERABLE = (psycopg.OperationalError, psycopg.InterfaceError, es.OperationalError, es.InterfaceError)


class Reminders(Worker):
    name, recoverable = "reminders", RECOVERABLE

    def __init__(self, app: Momentum, connect: Callable[[], psycopg.Connection[Any]], settings: Settings) -> None:
        super().__init__(settings, connect)
        self.app = app

    def remind(self, conn: psycopg.Connection[Any]) -> int:
        """One pass at the settings' now; the number of reminders recorded."""
        now, recorded = self.settings.now(), 0
        for goal_id, cadence, base, person_id, reminded in conn.execute(CANDIDATES).fetchall():
            due = None if person_id is None or cadence not in CADENCES else latest_due(base, cadence, now)
            if due is None or (reminded is not None and due <= reminded):
                continue
            try:
                stored = self.app.reminders.record_due(
                    goal_id=goal_id, person_id=person_id, cadence=cadence, due_at=due.astimezone(UTC).isoformat()
                )
            except DomainError as refused:  # one goal's odd row must not stop the reminders of every other
                log.warning("reminders: goal %s skipped: %s", goal_id, refused.message)
                continue
            recorded += stored is not None
        return recorded

    def session(self, stop: threading.Event) -> None:
        with self.connect() as conn:
            conn.autocommit = True
            while not stop.is_set():
                self.heartbeat.beat(conn)
                self.remind(conn)
                stop.wait(self.settings.reminder_interval_seconds)
