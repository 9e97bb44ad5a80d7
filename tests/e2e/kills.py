"""SIGKILL a pipeline process mid-stream, again and again, then let it finish: the shared step of
the crash-recovery tests."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from tests.stack import Process, wait_until


def kill_repeatedly(process: Process, progress: Callable[[], int], final: int, times: int = 5) -> int:
    """Start and SIGKILL `process` `times` times, each time after it made some progress."""
    kills = 0
    for _ in range(times):
        before = progress()
        if before >= final:
            break
        process.start()
        wait_until(
            lambda before=before: progress() > before, 60, lambda: f"{process.command} progress\n{process.log()}"
        )
        if random.random() < 0.5:
            time.sleep(0.01 + random.random() * 0.1)
        process.kill()
        kills += 1
    return kills


def finish_after_kills(process: Process, name: str, progress: Callable[[], int], final: int, timeout: float) -> None:
    """Kill `process` (the `name`) at least three times mid-stream, then run it until `progress()`
    reaches `final`."""
    kills = kill_repeatedly(process, progress, final)
    assert kills >= 3, f"the {name} finished before it could be killed mid-stream"
    process.start()
    try:
        wait_until(lambda: progress() == final, timeout, lambda: f"the {name} to catch up\n" + process.log())
    finally:
        process.stop()
