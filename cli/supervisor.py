"""`momentum run`'s supervisor: keeps one child process per command; a child that exits is
restarted after a backoff that doubles from BACKOFF_FIRST_S to BACKOFF_MAX_S, and starts over
once the child has run BACKOFF_RESET_AFTER_S; the others keep running. `stop` ends them all."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

BACKOFF_FIRST_S = 0.5
BACKOFF_MAX_S = 30.0
BACKOFF_RESET_AFTER_S = 60.0
POLL_S = 0.2
STOP_WAIT_S = 10


@dataclass
class Child:
    command: str
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    backoff: float = BACKOFF_FIRST_S
    restart_at: float | None = None
    restarts: int = field(default=0)

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "cli.main", self.command])
        self.started_at, self.restart_at = time.monotonic(), None

    def check(self, now: float) -> None:
        """Notices an exit and schedules the restart; restarts when it is time."""
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restarts += 1
                self.start()
            return
        assert self.process is not None
        if self.process.poll() is None:
            return
        if now - self.started_at >= BACKOFF_RESET_AFTER_S:
            self.backoff = BACKOFF_FIRST_S
        print(f"momentum: {self.command} exited with {self.process.returncode}; restarting in {self.backoff:.1f}s",
              file=sys.stderr, flush=True)
        self.restart_at = now + self.backoff
        self.backoff = min(self.backoff * 2, BACKOFF_MAX_S)


def supervise(commands: list[str], stop: threading.Event) -> None:
    """Runs `commands` until `stop` is set, then terminates them (killing any that lingers)."""
    children = [Child(command) for command in commands]
    for child in children:
        child.start()
    try:
        while not stop.wait(POLL_S):
            now = time.monotonic()
            for child in children:
                child.check(now)
    finally:
        _stop_all([c.process for c in children if c.process is not None])


def _stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            process.kill()


def stop_on_signals() -> threading.Event:
    """An event set by SIGTERM or SIGINT: what a long-running command stops on."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop
