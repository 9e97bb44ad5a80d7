"""A long-running consumer's outer loop: a session runs until `stop` is set, and starts over after
a failure of the broker or the database, with a pause that doubles up to 5 s."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)
FIRST_PAUSE_S = 0.2
LONGEST_PAUSE_S = 5.0


def run_sessions(
    name: str, session: Callable[[threading.Event], None], stop: threading.Event,
    recoverable: tuple[type[BaseException], ...],
) -> None:
    pause = FIRST_PAUSE_S
    while not stop.is_set():
        try:
            session(stop)
            return
        except recoverable as error:
            log.warning("%s: %s: %s; retrying in %.1fs", name, type(error).__name__, error, pause)
            stop.wait(pause)
            pause = min(pause * 2, LONGEST_PAUSE_S)
