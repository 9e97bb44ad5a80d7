"""CPU spent per event, read from /proc: of one process of ours, and of the PostgreSQL backends
serving one database (the scenario's own), so a change shows whether it moved cost between
Python and the database or removed it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

TICKS = os.sysconf("SC_CLK_TCK")


def process_seconds(pid: int) -> float:
    """utime + stime of `pid` (every thread) in seconds; 0 once it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # fields 14 and 15 of stat(5)


class BackendMeter:
    """Sums the CPU of every PostgreSQL backend connected to `database_url`'s database while
    sampled; a backend's last sample counts, since it started from nothing, so backends that
    connect and leave between samples are missed (the meter's own is left out)."""

    def __init__(self, database_url: str) -> None:
        self.conn = psycopg.connect(database_url, autocommit=True)
        own = self.conn.execute("SELECT pg_backend_pid()").fetchone()
        self.own = own[0] if own else 0
        self.seen: dict[int, float] = {}

    def sample(self) -> None:
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> %s", (self.own,)
        ).fetchall()
        for (pid,) in rows:
            seconds = process_seconds(pid)
            if seconds:
                self.seen[pid] = max(self.seen.get(pid, 0.0), seconds)

    def sampling(self, condition: Callable[[], Any]) -> Callable[[], Any]:
        """`condition`, taking a sample each time it is asked (for wait_until)."""

        def sampled() -> Any:
            self.sample()
            return condition()

        return sampled

    def seconds(self) -> float:
        return sum(self.seen.values())

    def close(self) -> None:
        self.conn.close()


def per_event(seconds: float, events: int) -> float:
    """Microseconds per event, rounded."""
    return round(seconds * 1e6 / events, 1) if events else 0.0
