"""A long-running consumer's outer loop: a session runs until `stop` is set, and starts over after
a failure of the broker or the database, with a pause that doubles up to 5 s while sessions keep
failing, and starts short again after a session that had been running."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg

from consumers.topic import ensure_topic
from projections.heartbeats import Heartbeat
from settings import Settings

log = logging.getLogger(__name__)
FIRST_PAUSE_S = 0.2
LONGEST_PAUSE_S = 5.0


def run_sessions(
    name: str, session: Callable[[threading.Event], None], stop: threading.Event,
    recoverable: tuple[type[BaseException], ...], clock: Callable[[], float] = time.monotonic,
) -> None:
    pause = FIRST_PAUSE_S
    while not stop.is_set():
        started = clock()
        try:
            session(stop)
            return
        except recoverable as error:
            if clock() - started > LONGEST_PAUSE_S:
                pause = FIRST_PAUSE_S  # a new failure, not the outage the last pauses waited out
            log.warning("%s: %s: %s; retrying in %.1fs", name, type(error).__name__, error, pause)
            stop.wait(pause)
            pause = min(pause * 2, LONGEST_PAUSE_S)


class Worker:
    """A long-running worker, `name`, beating as `name`: each `session` runs until `stop` is set,
    and starts over after a failure in `recoverable`."""

    name: str
    recoverable: tuple[type[BaseException], ...]

    def __init__(self, settings: Settings, connect: Callable[[], psycopg.Connection[Any]]) -> None:
        self.settings = settings
        self.connect = connect
        self.heartbeat = Heartbeat(self.name, settings.heartbeat_timeout_seconds)

    def run(self, stop: threading.Event) -> None:
        run_sessions(self.name, self.session, stop, self.recoverable)

    def session(self, stop: threading.Event) -> None:
        raise NotImplementedError


class TopicWorker(Worker):
    """A worker on a topic (the event topic unless a subclass sets `topic`): each session starts
    on the topic, created if need be."""

    def __init__(self, settings: Settings, connect: Callable[[], psycopg.Connection[Any]]) -> None:
        super().__init__(settings, connect)
        self.topic = settings.kafka_topic

    def run(self, stop: threading.Event) -> None:
        run_sessions(self.name, self._on_topic, stop, self.recoverable)

    def _on_topic(self, stop: threading.Event) -> None:
        ensure_topic(self.settings.kafka_bootstrap, self.topic, self.settings.kafka_partitions)
        self.session(stop)
