"""What every scenario needs: an isolated database and topic, child processes, timing, results."""

from __future__ import annotations

import gc
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg

from cli.serve import collect_garbage_rarely
from projections import positions
from settings import Settings
from tests.stack import drop_database, dropped_after, environment, fresh_settings

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"


@contextmanager
def collecting_as_a_consumer() -> Iterator[None]:
    """The garbage collection `momentum projector` runs with (cli.serve.collect_garbage_rarely),
    for a consumer run in this process; this process's own settings again afterwards. With the
    defaults, the projector in the bench process paid for collections that walked what the earlier
    scenarios left alive (100,000 events: 10,472 -> 15,433 events/s, 70.0 -> 44.2 µs CPU per event)."""
    threshold = gc.get_threshold()
    gc.collect()
    collect_garbage_rarely()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def isolated(**overrides: Any) -> AbstractContextManager[Settings]:
    """A fresh database and topic for one scenario (tests.stack.fresh_settings), dropped afterwards."""
    server_url = Settings().database_url  # MOMENTUM_DATABASE_URL names the server the scenario's database is made on
    values: dict[str, Any] = {
        "kafka_partitions": Settings.model_fields["kafka_partitions"].default,  # as in production, not the tests' 3
        "log_level": "WARNING",
        # one subject sends every request: the per-subject limit would measure itself, not the API
        "rate_limit_per_second": 100000,
        "rate_limit_burst": 1000000,
        **overrides,
    }
    return dropped_after(fresh_settings(server_url, **values), _drop_database)


def _drop_database(settings: Settings) -> None:
    """FORCE cannot end an autovacuum worker that is still analysing the scenario's fresh
    tables (it is not our role's process): wait for it to finish, up to two minutes (a
    million-event rebuild leaves that much to analyse), then leave the database and say so
    rather than lose the scenario's figures."""
    try:
        drop_database(settings, retries=240)
    except psycopg.errors.InsufficientPrivilege:
        name = psycopg.conninfo.conninfo_to_dict(settings.database_url)["dbname"]
        print(f"bench: database {name} left in place: autovacuum still held it after 120 s", file=sys.stderr)


@contextmanager
def child(
    args: list[str], env: dict[str, str], ready_url: str | None = None, ready: Callable[[], bool] | None = None,
    output: Any = subprocess.DEVNULL,
) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        if ready_url:
            wait_until(lambda: _answers(ready_url), 60)
        if ready:
            wait_until(ready, 120)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def momentum_process(command: str, settings: Settings) -> Any:
    ready = f"http://127.0.0.1:{settings.api_port}/readyz" if command == "api" else None
    return child([sys.executable, "-m", "cli.main", command], environment(settings), ready)


@contextmanager
def api_workers(settings: Settings, workers: int) -> Iterator[None]:
    """`momentum api --workers N`, once every worker has started (/healthz answers after the first;
    /readyz would wait for relay and projector heartbeats, which a scenario may have stopped)."""
    with tempfile.NamedTemporaryFile() as log:
        def started() -> bool:
            return Path(log.name).read_bytes().count(b"Application startup complete.") >= workers

        args = [sys.executable, "-m", "cli.main", "api", "--workers", str(workers)]
        with child(args, environment(settings), f"http://127.0.0.1:{settings.api_port}/healthz", started, log):
            yield


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def wait_until(condition: Callable[[], Any], timeout: float, poll: float = 0.02) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(poll)
    raise TimeoutError(f"condition not met in {timeout}s")


def reached(settings: Settings) -> int:
    """The sequence every partition's read models have reached (as the API waits for it)."""
    with psycopg.connect(settings.database_url) as conn:
        try:
            return positions.reached_sequence_now(conn, settings.kafka_topic, settings.kafka_partitions)
        except psycopg.errors.UndefinedTable:
            return 0


def percentile(samples: list[float], p: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(latencies_s: list[float], elapsed_s: float) -> dict[str, float]:
    return {
        "count": len(latencies_s),
        "throughput_per_s": round(len(latencies_s) / elapsed_s, 1) if elapsed_s else 0.0,
        "p50_ms": round(percentile(latencies_s, 50) * 1000, 2),
        "p99_ms": round(percentile(latencies_s, 99) * 1000, 2),
        "mean_ms": round(statistics.fmean(latencies_s) * 1000, 2) if latencies_s else 0.0,
    }


def write_results(results: dict[str, Any]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
