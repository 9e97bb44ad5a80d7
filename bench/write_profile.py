"""`recordCheckIn` through the whole ASGI app in this process (token check, middlewares, GraphQL,
the command, the append), on a fresh database: CPU per request of this process and of
PostgreSQL, statements and round trips per request, and the functions that cost most.

    .venv/bin/python -m bench.write_profile [REQUESTS] [--no-profile] [--registered] [--freeze]

The command runs inline on the event loop when profiled (cProfile sees one thread only), and off
it, as served, with --no-profile. --registered registers the goals' owner first (the bench's
owner is not a registered person). --freeze: `gc.freeze()` after the warm-up (every run prints the
garbage collector's runs and their wall time)."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import pstats
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg

import api.resolvers
from api.auth import issue_token
from application.identity import Actor
from bench.api_scenarios import CHECK_IN, seed_goals
from bench.cpu import BackendMeter, process_seconds
from bench.data import OWNER
from bench.harness import isolated
from bootstrap import build_api, build_momentum
from settings import Settings

TRACE = Path(tempfile.gettempdir()) / f"momentum-write-trace-{os.getpid()}"


def traced_connections() -> None:
    """Every connection opened from now on writes its libpq protocol trace to TRACE."""
    for kind in (psycopg.Connection, psycopg.AsyncConnection):
        original = kind.__dict__["connect"].__func__

        def connect(cls: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            result = _original(cls, *args, **kwargs)

            def trace(conn: Any) -> Any:
                conn.pgconn.trace(os.open(TRACE, os.O_WRONLY | os.O_APPEND | os.O_CREAT))
                return conn

            if asyncio.iscoroutine(result):
                async def opened() -> Any:
                    return trace(await result)
                return opened()
            return trace(result)

        kind.connect = classmethod(connect)  # type: ignore[assignment,method-assign]


def messages() -> Counter[str]:
    """Frontend messages in the trace so far: Sync and Query end a round trip each."""
    counts: Counter[str] = Counter()
    if TRACE.exists():
        for line in TRACE.read_text(errors="replace").splitlines():
            parts = line.split("\t")
            if len(parts) > 3 and parts[1] == "F":
                counts[parts[3].split(" ")[0]] += 1
    return counts


async def send(app: Any, token: str, bodies: Iterable[dict[str, Any]]) -> None:
    """Each GraphQL body in turn through the ASGI app, as one client; any error stops the run."""
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
        for body in bodies:
            response = await http.post("/graphql", json=body, headers=headers)
            if response.status_code != 200 or "errors" in response.json():
                raise RuntimeError(response.text[:300])


def check_ins(goal_ids: list[str], count: int, offset: int) -> Iterator[dict[str, Any]]:
    for n in range(offset, offset + count):
        variables = {"i": {"goalId": goal_ids[n % len(goal_ids)], "progress": n % 101, "confidence": 5}}
        yield {"query": CHECK_IN, "variables": variables}


class Collections:
    """The garbage collector's runs while in use: how many of each generation, and their wall time."""

    def __init__(self) -> None:
        self.runs: Counter[int] = Counter()
        self.seconds: dict[int, float] = {0: 0.0, 1: 0.0, 2: 0.0}
        self.started = 0.0

    def __enter__(self) -> Collections:
        gc.callbacks.append(self.timed)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self.timed)

    def timed(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.runs[info["generation"]] += 1
            self.seconds[info["generation"]] += time.perf_counter() - self.started

    def report(self) -> str:
        return ", ".join(f"gen{g} {self.runs[g]}× {self.seconds[g] * 1000:.1f} ms" for g in range(3))


async def measure(meter: BackendMeter, what: str, n: int, run: Awaitable[None], profiled: bool) -> pstats.Stats | None:
    """Runs `run` (`n` requests of `what`) and prints its CPU per request, of this process and of
    PostgreSQL, and its round trips; with `profiled`, under cProfile (a CPU timer), whose stats it returns."""
    meter.sample()
    before, pg = messages(), meter.seconds()
    cpu, started = process_seconds(os.getpid()), time.perf_counter()
    profile = cProfile.Profile(time.process_time) if profiled else None  # CPU, not waits
    if profile:
        profile.enable()
    with Collections() as collections:
        await run
    if profile:
        profile.disable()
    elapsed, cpu = time.perf_counter() - started, process_seconds(os.getpid()) - cpu
    meter.sample()
    sent = messages() - before
    print(f"{n} {what} in {elapsed:.2f} s ({n / elapsed:.0f}/s, one client, in-process), "
          f"load {os.getloadavg()[0]:.2f}")
    print(f"CPU per request: this process {cpu / n * 1000:.2f} ms, "
          f"PostgreSQL {(meter.seconds() - pg) / n * 1000:.2f} ms")
    print("frontend messages per request:", {k: round(v / n, 2) for k, v in sorted(sent.items())})
    print(f"round trips per request (Sync + Query): {(sent['Sync'] + sent['Query']) / n:.2f}")
    print(f"garbage collections, wall time in all: {collections.report()}; {len(gc.get_objects())} objects "
          f"tracked, {gc.get_freeze_count()} frozen")
    return pstats.Stats(profile) if profile else None


def profile_requests(settings: Settings, app: Any, token: str, warm: Iterable[dict[str, Any]],
                     measured: tuple[int, str, Iterable[dict[str, Any]]], profiled: bool, freeze: bool = False
                     ) -> pstats.Stats | None:
    """In `app`'s lifespan, the `warm` bodies, then the `measured` ones (how many, of what, the
    bodies) under `measure`; with `freeze`, what is alive after the warm-up is frozen out of the
    garbage collector's reach first (`gc.freeze`); the trace file is removed afterwards."""
    meter = BackendMeter(settings.database_url)

    async def run() -> pstats.Stats | None:
        async with app.router.lifespan_context(app):
            await send(app, token, warm)
            if freeze:
                gc.collect()
                gc.freeze()
            n, what, bodies = measured
            return await measure(meter, what, n, send(app, token, bodies), profiled)

    try:
        return asyncio.run(run())
    finally:
        meter.close()
        TRACE.unlink(missing_ok=True)


def client_without_trio_probe() -> None:
    """httpx's ASGI transport asks on each request whether trio runs by importing sniffio,
    which is not installed: a failed import (~0.2 ms of this process's CPU) that is the bench
    client's, not the API's."""
    from httpx._transports import asgi

    asgi.is_running_trio = lambda: False


def inline_commands() -> None:
    async def inline(command: Any, *args: Any, **kwargs: Any) -> Any:
        return command(*args, **kwargs)

    api.resolvers.asyncio = type("Inline", (), {"to_thread": staticmethod(inline)})  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("requests", type=int, nargs="?", default=300)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--registered", action="store_true")
    parser.add_argument("--dump", help="write the profile's stats to this file (for pstats)")
    parser.add_argument("--no-trace", action="store_true", help="no libpq trace (it costs time)")
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() after the warm-up")
    args = parser.parse_args()
    with isolated() as settings:
        goal_ids = seed_goals(settings, 64, key_results=0)
        if args.registered:
            admin = Actor("bench-admin", frozenset({"admin"}))
            build_momentum(settings).directory.register_person(
                admin, person_id=OWNER.id, name="Bench Owner", email="owner@example.com")
        token = issue_token(settings, OWNER.id, [])
        if not args.no_trace:
            traced_connections()
        app = build_api(settings)
        client_without_trio_probe()
        if not args.no_profile:
            inline_commands()
        n = args.requests
        stats = profile_requests(settings, app, token, check_ins(goal_ids, 64, 0),  # each goal once in the cache
                                 (n, "check-ins", check_ins(goal_ids, n, 64)), not args.no_profile, args.freeze)
        if stats:
            if args.dump:
                stats.dump_stats(args.dump)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
