"""Rebuild throughput: N goal events through the real relay and projector, then
`momentum projections rebuild` and `verify`, timed.

    .venv/bin/python -m bench.rebuild [GOALS] [CHECK_INS_PER_GOAL]
"""

from __future__ import annotations

import resource
import subprocess
import sys
import threading
import time

from bench.cpu import BackendMeter, per_event
from bench.data import store_goals
from bench.harness import ROOT, environment, isolated, momentum_process, reached, wait_until
from bootstrap import build_momentum
from settings import Settings


def main(goals: int = 100, check_ins: int = 99) -> None:
    with isolated(kafka_partitions=3) as settings:
        app = build_momentum(settings)
        try:
            store_goals(app, goals * (1 + check_ins), per_goal=1 + check_ins)
            last = app.recorder.max_notification_id() or 0
            with (
                momentum_process("relay", settings),
                momentum_process("projector", settings),
                momentum_process("api", settings),
            ):
                wait_until(lambda: reached(settings) >= last, 600, poll=0.2)
                for command in (["rebuild"], ["rebuild", "--processes", "2"], ["verify"]):
                    _timed(settings, command, last)
        finally:
            app.close()


def _timed(settings: Settings, command: list[str], events: int) -> None:
    """Runs `momentum projections COMMAND`; prints events/s, the CPU per event of the command (with
    its children) and of the database's backends, and the command's peak memory."""
    meter = BackendMeter(settings.database_url)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with subprocess.Popen([sys.executable, "-m", "cli.main", "projections", *command], cwd=ROOT,
                          env=environment(settings), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True) as done:
        watcher = threading.Thread(target=lambda: wait_until(meter.sampling(lambda: done.poll() is not None),
                                                             1800, poll=0.1))
        watcher.start()
        _, stderr = done.communicate(timeout=1800)
        watcher.join()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    meter.close()
    lines = stderr.strip().splitlines()
    print(f"{' '.join(command)}: {events:,} events in {seconds:.1f} s ({events / seconds:,.0f} events/s overall), "
          f"CPU per event: command {per_event(cpu, events)} µs, PostgreSQL {per_event(meter.seconds(), events)} µs; "
          f"peak memory {after.ru_maxrss / 1024:.0f} MB; exit {done.returncode}; "
          f"last progress line: {lines[-1] if lines else ''}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
