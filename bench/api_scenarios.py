"""Write path, reads and freshness over HTTP, against a bare FastAPI baseline in the same run."""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from api.auth import issue_token
from bench import http_load
from bench.data import OWNER
from bench.harness import (
    api_workers,
    child,
    isolated,
    momentum_process,
    percentile,
    reached,
    summary,
    wait_until,
)
from bootstrap import build_momentum, build_projector
from domain.goal import Goal
from settings import Settings
from tests.e2e.client import metrics
from tests.stack import free_port

CHECK_IN = "mutation($i: RecordCheckInInput!) { recordCheckIn(input: $i) { version sequence } }"
GOAL = """query($id: ID!) { goal(id: $id) { id title progress version
  keyResults { id title kind start target unit progress currentValue confidence } } }"""
PAGE = """query { goals(first: 50) { edges { node { id title progress version
  keyResults { id title kind start target unit progress currentValue confidence } } } } }"""
VERSION = "query($id: ID!) { goal(id: $id) { version } }"
VERSION_AT = "query($id: ID!, $at: Int) { goal(id: $id, consistency: $at) { version } }"
WARM_UP = "before each run, ours and the baseline's alike, untimed: bench.http_load.warm_up_size requests"


def _ok(response: httpx.Response) -> None:
    if response.status_code != 200 or "errors" in response.json():
        raise RuntimeError(f"benchmark request failed: {response.text[:300]}")


def baseline_app(settings: Settings) -> Any:
    port = free_port()
    env = {**os.environ, "BENCH_DATABASE_URL": settings.database_url}
    args = [sys.executable, "-m", "uvicorn", "bench.baseline_app:app", "--port", str(port), "--log-level", "warning"]
    return port, child(args, env, f"http://127.0.0.1:{port}/readyz")


def seed_goals(settings: Settings, count: int, key_results: int = 3) -> list[str]:
    app = build_momentum(settings)
    ids = []
    for g in range(count):
        goal = Goal.create(title=f"Read {g}", owner_id=OWNER.id, actor=OWNER.id)
        for k in range(key_results):
            goal.add_key_result(key_result_id=f"kr{k}", title=f"KR {k}", kind="increase_to", start=0, target=100,
                                unit="%", actor=OWNER.id)
        app.save(goal)
        ids.append(str(goal.id))
    return ids


def write_path(settings: Settings, requests: int) -> dict[str, Any]:
    goal_ids = seed_goals(settings, 64, key_results=0)
    token = issue_token(settings, OWNER.id, [])
    results: dict[str, Any] = {}
    port, baseline = baseline_app(settings)
    url = f"http://127.0.0.1:{settings.api_port}/graphql"

    def ours(http: httpx.Client, n: int) -> httpx.Response:
        variables = {"i": {"goalId": goal_ids[n % len(goal_ids)], "progress": n % 101, "confidence": 5}}
        return http.post(url, json={"query": CHECK_IN, "variables": variables},
                         headers={"Authorization": f"Bearer {token}"})

    def raw(http: httpx.Client, n: int) -> httpx.Response:
        return http.post(f"http://127.0.0.1:{port}/write", json={"goal": n, "progress": n % 101})

    with baseline:
        with momentum_process("api", settings):
            for clients in (1, 8, 32):
                mine = summary(*http_load.run(clients, requests, ours, _ok))
                base = summary(*http_load.run(clients, requests, raw, lambda r: r.raise_for_status()))
                results[f"clients_{clients}"] = {"ours": mine, "baseline": base, "ratio": _ratio(mine, base)}
        with api_workers(settings, 2):
            for clients in (1, 8, 32):
                _with_two_workers(results[f"clients_{clients}"], summary(*http_load.run(clients, requests, ours, _ok)))
    return {"baseline": "bare FastAPI endpoint: one INSERT + COMMIT with psycopg", "warm_up": WARM_UP, **results}


def _ratio(mine: dict[str, Any], base: dict[str, Any]) -> float:
    return round(mine["throughput_per_s"] / base["throughput_per_s"], 3)


def _with_two_workers(result: dict[str, Any], mine: dict[str, Any]) -> None:
    """The same requests against `momentum api --workers 2`, divided by the same baseline."""
    result["ours_2_workers"], result["ratio_2_workers"] = mine, _ratio(mine, result["baseline"])


def reads(settings: Settings, requests: int) -> dict[str, Any]:
    goal_ids = seed_goals(settings, 200)
    _project(settings)
    token = issue_token(settings, OWNER.id, [])
    url = f"http://127.0.0.1:{settings.api_port}/graphql"
    headers = {"Authorization": f"Bearer {token}"}
    port, baseline = baseline_app(settings)
    results: dict[str, Any] = {"baseline": "bare FastAPI JSON endpoint reading the same rows", "clients": 32,
                               "warm_up": WARM_UP}
    with momentum_process("api", settings), baseline:
        cases = {
            "goal_with_key_results": (
                lambda http, n: http.post(url, json={"query": GOAL, "variables": {"id": goal_ids[n % 200]}},
                                          headers=headers),
                lambda http, n: http.get(f"http://127.0.0.1:{port}/goal/{goal_ids[n % 200]}"),
            ),
            "page_of_50_goals": (
                lambda http, n: http.post(url, json={"query": PAGE}, headers=headers),
                lambda http, n: http.get(f"http://127.0.0.1:{port}/goals"),
            ),
        }
        for name, (ours, raw) in cases.items():
            mine = summary(*http_load.run(32, requests, ours, _ok))
            base = summary(*http_load.run(32, requests, raw, lambda r: r.raise_for_status()))
            results[name] = {"ours": mine, "baseline": base, "ratio": _ratio(mine, base)}
    with api_workers(settings, 2):
        for name, (ours, _) in cases.items():
            _with_two_workers(results[name], summary(*http_load.run(32, requests, ours, _ok)))
    return results


def freshness(settings: Settings, seconds: float, rate: int = 100) -> dict[str, Any]:
    """At `rate` mutations/s, the time from a mutation's response until a query shows it, read two
    ways for `seconds` each: by polling the goal's version every 2 ms (the headline, as before;
    each waiting writer's polls are load on the same API process), and by one query passing the
    mutation's `sequence` as `consistency` (read-your-writes: the API answers once every
    partition's read models have reached it)."""
    goal_ids = seed_goals(settings, 32, key_results=0)
    token = issue_token(settings, OWNER.id, [])
    url = f"http://127.0.0.1:{settings.api_port}/graphql"
    headers = {"Authorization": f"Bearer {token}"}
    with momentum_process("relay", settings), momentum_process("projector", settings), \
            momentum_process("api", settings):
        wait_until(lambda: _visible(url, headers, goal_ids[-1]), 60)
        time.sleep(FLUSHED_S)
        polling = _freshness_run(settings, url, headers, goal_ids, seconds, rate, _poll_version)
        token_wait = _freshness_run(settings, url, headers, goal_ids, seconds, rate, _read_at_sequence)
    return {**polling, "what": "mutation answered -> a query polled every 2 ms shows its version",
            "read_your_writes": {**token_wait,
                                 "what": "mutation answered -> a query with consistency = its sequence answers"}}


Observe = Callable[[httpx.Client, str, dict[str, str], str, dict[str, Any]], int]


def _read_at_sequence(http: httpx.Client, url: str, headers: dict[str, str], goal_id: str,
                      written: dict[str, Any]) -> int:
    """One query that waits for the write's sequence; returns the queries made (1)."""
    variables = {"id": goal_id, "at": written["sequence"]}
    body = http.post(url, json={"query": VERSION_AT, "variables": variables}, headers=headers).json()
    if body["data"]["goal"]["version"] < written["version"]:
        raise RuntimeError(f"read at sequence {written['sequence']} did not show version {written['version']}")
    return 1


def _poll_version(http: httpx.Client, url: str, headers: dict[str, str], goal_id: str,
                  written: dict[str, Any]) -> int:
    """Polls the goal's version every 2 ms until it shows the write; returns the queries made."""
    queries = 0
    while True:
        body = http.post(url, json={"query": VERSION, "variables": {"id": goal_id}}, headers=headers)
        queries += 1
        if (body.json()["data"]["goal"] or {}).get("version", 0) >= written["version"]:
            return queries
        time.sleep(0.002)


def _freshness_run(settings: Settings, url: str, headers: dict[str, str], goal_ids: list[str], seconds: float,
                   rate: int, observe: Observe) -> dict[str, Any]:
    lags: list[float] = []
    queries = [0]
    lock = threading.Lock()
    # each worker waits for its observation before its next mutation: with 10 workers, a lag of
    # ~100 ms held the rate at ~65/s; one per seeded goal (32) keeps `rate` while lags stay under
    # 320 ms, and mutations_per_s says whether it did
    workers = len(goal_ids)

    def worker(number: int) -> None:
        http = httpx.Client(timeout=30)
        goal_id = goal_ids[number]
        interval = workers / rate
        deadline = time.monotonic() + seconds
        next_at = time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(max(0.0, next_at - time.monotonic()))
            next_at += interval
            variables = {"i": {"goalId": goal_id, "progress": 50}}
            written = http.post(url, json={"query": CHECK_IN, "variables": variables}, headers=headers).json()
            answered = time.perf_counter()
            made = observe(http, url, headers, goal_id, written["data"]["recordCheckIn"])
            with lock:
                lags.append(time.perf_counter() - answered)
                queries[0] += made

    before = _histograms(settings)
    gc.collect()
    gc.disable()  # this process's own full collections (~100 ms each, seen every ~20 s) would count as lag
    try:
        started = time.monotonic()
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        gc.enable()
    time.sleep(FLUSHED_S)
    hops = _hop_percentiles(before, _histograms(settings))
    return {"rate_per_s": rate, "mutations_per_s": round(len(lags) / elapsed, 1), "samples": len(lags),
            "queries_per_s": round(queries[0] / elapsed, 1),
            "p50_ms": round(percentile(lags, 50) * 1000, 1), "p99_ms": round(percentile(lags, 99) * 1000, 1),
            "hops": {"what": "p50/p99 in ms from the /metrics histograms, interpolated within buckets", **hops}}


FLUSHED_S = 1.5  # the relay and the projector add their latencies to PostgreSQL about once a second
HOP_METRICS = {
    "momentum_pipeline_latency_seconds": "hop",
    "momentum_read_model_notice_delay_seconds": "notice_to_api",
    "momentum_consistency_wait_seconds": "consistency_wait",
    "momentum_event_freshness_seconds": "event_to_api_end_to_end",
}


def _histograms(settings: Settings) -> dict[str, dict[float, float]]:
    """Cumulative bucket counts of every hop histogram of the API's /metrics, by hop."""
    found: dict[str, dict[float, float]] = {}
    for (name, labels), value in metrics(settings).items():
        family = name.removesuffix("_bucket")
        if family != name and family in HOP_METRICS:
            tags = dict(labels)
            found.setdefault(tags.get("hop") or HOP_METRICS[family], {})[float(tags["le"])] = value
    return found


def _hop_percentiles(before: dict[str, dict[float, float]], after: dict[str, dict[float, float]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for hop, buckets in sorted(after.items()):
        counts = {le: n - before.get(hop, {}).get(le, 0.0) for le, n in sorted(buckets.items())}
        total = counts.get(float("inf"), 0.0)
        if total:
            result[hop] = {"count": int(total), "p50_ms": _quantile_ms(counts, total * 0.5),
                           "p99_ms": _quantile_ms(counts, total * 0.99)}
    return result


def _quantile_ms(cumulative: dict[float, float], rank: float) -> float:
    """Linear interpolation inside the first bucket whose cumulative count reaches `rank`."""
    lower, below = 0.0, 0.0
    for le, count in cumulative.items():
        if count >= rank:
            if le == float("inf"):
                return round(lower * 1000, 1)
            share = (rank - below) / (count - below) if count > below else 1.0
            return round((lower + (le - lower) * share) * 1000, 1)
        lower, below = le, count
    return round(lower * 1000, 1)


def _visible(url: str, headers: dict[str, str], goal_id: str) -> bool:
    body = httpx.post(url, json={"query": VERSION, "variables": {"id": goal_id}}, headers=headers).json()
    return bool((body.get("data") or {}).get("goal"))


def _project(settings: Settings) -> None:
    """Publish and project everything stored so far."""
    with momentum_process("relay", settings):
        stop = threading.Event()
        projector = build_projector(settings)
        thread = threading.Thread(target=projector.run, args=(stop,))
        thread.start()
        app = build_momentum(settings)  # held: an application closes its pool once it is collected
        try:
            last = app.recorder.max_notification_id() or 0
            wait_until(lambda: reached(settings) >= last, 600, poll=0.1)
        finally:
            app.close()
            stop.set()
            thread.join()


def with_isolated(run: Any, *args: Any) -> dict[str, Any]:
    with isolated() as settings:
        result: dict[str, Any] = run(settings, *args)
        return result
