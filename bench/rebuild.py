"""Rebuild throughput: N goal events through the real relay and projector, then
`momentum projections rebuild` and `verify`, timed.

    .venv/bin/python -m bench.rebuild [GOALS] [CHECK_INS_PER_GOAL]
"""

from __future__ import annotations

import subprocess
import sys
import time

from bench.data import store_goals
from bench.harness import ROOT, environment, isolated, momentum_process, reached, wait_until
from bootstrap import build_momentum


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
                for command in (["rebuild"], ["verify"]):
                    started = time.perf_counter()
                    done = subprocess.run([sys.executable, "-m", "cli.main", "projections", *command], cwd=ROOT,
                                          env=environment(settings), capture_output=True, text=True, timeout=1800)
                    seconds = time.perf_counter() - started
                    lines = done.stderr.strip().splitlines()
                    print(f"{command[0]}: {last:,} events in {seconds:.1f} s ({last / seconds:,.0f} events/s "
                          f"overall), exit {done.returncode}; last progress line: {lines[-1] if lines else ''}")
        finally:
            app.close()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
