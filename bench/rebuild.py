"""Rebuild throughput: N goal events through the real relay and projector, then
`momentum projections rebuild` and `verify`, timed.

    .venv/bin/python -m bench.rebuild [GOALS] [CHECK_INS_PER_GOAL]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from application.identity import Actor
from bootstrap import build_momentum
from domain.goal import Goal
from tests.e2e.conftest import running_pipeline
from tests.stack import ROOT, drop_database, environment, fresh_settings, wait_until


def main(goals: int = 100, check_ins: int = 99) -> None:
    settings = fresh_settings()
    app = build_momentum(settings)
    ada = Actor("ada")
    try:
        for g in range(goals):
            goal = Goal.create(title=f"Goal {g}", owner_id=ada.id, actor=ada.id)
            for c in range(check_ins):
                goal.record_check_in(progress=c % 101, confidence=c % 11, note=f"#{c}", actor=ada.id)
            app.save(goal)
        last = app.recorder.max_notification_id() or 0
        with tempfile.TemporaryDirectory() as logs, running_pipeline(settings, Path(logs)):
            wait_until(lambda: reached(settings) >= last, 600, "the projector to apply the backlog")
            for command in (["rebuild"], ["verify"]):
                started = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "cli.main", "projections", *command], cwd=ROOT,
                                      env=environment(settings), capture_output=True, text=True, timeout=1800)
                seconds = time.perf_counter() - started
                lines = done.stderr.strip().splitlines()
                print(f"{command[0]}: {last:,} events in {seconds:.1f} s ({last / seconds:,.0f} events/s overall), "
                      f"exit {done.returncode}; last progress line: {lines[-1] if lines else ''}")
    finally:
        app.close()
        drop_database(settings)


def reached(settings: object) -> int:
    with psycopg.connect(settings.database_url) as conn:  # type: ignore[attr-defined]
        row = conn.execute("SELECT coalesce(min(safe_sequence), 0) FROM projector_positions").fetchone()
    return int(row[0]) if row else 0


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
