"""The bench's reads (a page of 50 goals, or one goal) through the whole ASGI app in this
process, on a fresh database of 200 goals with 3 key results projected without Kafka: CPU per
request of this process and of PostgreSQL, libpq round trips per request, the garbage
collector's work (objects it had to free: a request's reference cycles; httpx's client leaves
about 30 of its own per request), and the functions that cost most.

    .venv/bin/python -m bench.read_profile [REQUESTS] [--goal] [--no-profile] [--no-trace]"""

from __future__ import annotations

import argparse
import gc
import time
from itertools import cycle, islice
from typing import Any

from api.auth import issue_token
from bench.api_scenarios import GOAL, PAGE, seed_goals
from bench.data import OWNER
from bench.harness import isolated
from bench.write_profile import profile_requests, traced_connections
from bootstrap import build_api, build_momentum
from tests.integration.readside import envelopes, project

WARM = 50  # requests before the measured ones


class Collections:
    """What the garbage collector did: collections and their time by generation, and the
    unreachable objects it freed (which reference counting could not)."""

    def __init__(self) -> None:
        self.count: dict[int, int] = {}
        self.seconds: dict[int, float] = {}
        self.freed = 0
        self.started = 0.0

    def observe(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
            return
        generation = info["generation"]
        self.count[generation] = self.count.get(generation, 0) + 1
        self.seconds[generation] = self.seconds.get(generation, 0.0) + time.perf_counter() - self.started
        self.freed += info["collected"]

    def report(self, requests: int) -> None:
        done = ", ".join(f"gen{g} {self.count[g]} ({self.seconds[g] * 1000:.1f} ms)" for g in sorted(self.count))
        print(f"garbage collections over {requests} requests: {done or 'none'}; "
              f"objects freed by them per request: {self.freed / requests:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("requests", type=int, nargs="?", default=200)
    parser.add_argument("--goal", action="store_true", help="one goal with its key results (default: a page of 50)")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--no-trace", action="store_true", help="no libpq trace (it costs time)")
    args = parser.parse_args()
    with isolated() as settings:
        goal_ids = seed_goals(settings, 200)
        momentum = build_momentum(settings)
        project(settings, envelopes(momentum, settings))
        momentum.close()
        bodies: list[dict[str, Any]] = [{"query": PAGE}]
        if args.goal:
            bodies = [{"query": GOAL, "variables": {"id": goal_id}} for goal_id in goal_ids]
        token = issue_token(settings, OWNER.id, [])
        if not args.no_trace:
            traced_connections()
        app, n = build_api(settings), args.requests
        measured = (n, "goals" if args.goal else "pages of 50", islice(cycle(bodies), n))
        collections = Collections()
        gc.callbacks.append(collections.observe)
        try:
            stats = profile_requests(settings, app, token, islice(cycle(bodies), WARM), measured, not args.no_profile)
        finally:
            gc.callbacks.remove(collections.observe)
        collections.report(WARM + n)
        if stats:
            stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
