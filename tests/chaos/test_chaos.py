"""Chaos: a load of commands while the relay and the projector are SIGKILLed five times each, the
API once, and the broker stops for a while. Afterwards the topic holds every stored sequence
exactly once and every read model equals a from-scratch rebuild.

`make test` runs a short version; `make chaos` the long one (MOMENTUM_CHAOS_COMMANDS=20000,
MOMENTUM_CHAOS_OUTAGE_S=30)."""

from __future__ import annotations

import os
import random
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import psycopg

from settings import Settings
from tests.e2e.client import CREATE_GOAL, RECORD_CHECK_IN, GraphQL
from tests.e2e.conftest import api_ready, running_pipeline
from tests.private_services import PrivateService, private_kafka
from tests.stack import Process, drop_database, fresh_settings, read_topic, scalar, stored_sequences, wait_until

COMMANDS = int(os.environ.get("MOMENTUM_CHAOS_COMMANDS", "1500"))
OUTAGE_S = float(os.environ.get("MOMENTUM_CHAOS_OUTAGE_S", "5"))
CLIENTS = 8
# the processes' own bookkeeping, not read models: a rebuild does not make them again
POSITION_TABLES = {"projector_positions", "relay_positions", "process_heartbeats", "pipeline_latencies",
                   "measurement_positions", "measurement_dead_letters"}


class Load:
    """CLIENTS threads sending createGoal and recordCheckIn until COMMANDS were attempted and the
    faults are over, so that every fault hits a loaded system."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.attempted = 0
        self.outcomes: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.faults_over = threading.Event()
        self.threads = [threading.Thread(target=self._client, args=(i,)) for i in range(CLIENTS)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def join(self) -> None:
        for thread in self.threads:
            thread.join()

    def _take(self) -> bool:
        with self.lock:
            self.attempted += 1
            return self.attempted <= COMMANDS or not self.faults_over.is_set()

    def _client(self, number: int) -> None:
        client = GraphQL(self.settings, f"person-{number}")
        client.http = httpx.Client(timeout=30)
        goals: list[str] = []
        while self._take():
            try:
                if not goals or random.random() < 0.1:
                    body = client.post(CREATE_GOAL, {"input": {"title": f"chaos {len(goals)}"}}).json()
                    if "errors" not in body:
                        goals.append(body["data"]["createGoal"]["goalId"])
                else:
                    variables = {"input": {"goalId": random.choice(goals), "progress": random.randint(0, 100)}}
                    body = client.post(RECORD_CHECK_IN, variables).json()
                outcome = body["errors"][0]["extensions"]["code"] if "errors" in body else "stored"
            except httpx.HTTPError as error:
                outcome = type(error).__name__
                time.sleep(0.2)
            with self.lock:
                self.outcomes[outcome] += 1


def inject_faults(processes: dict[str, Process], broker: PrivateService, settings: Settings) -> Counter[str]:
    faults = ["relay"] * 5 + ["projector"] * 5 + ["api", "broker"]
    random.shuffle(faults)
    injected: Counter[str] = Counter()
    for fault in faults:
        time.sleep(random.uniform(0.5, 2.0))
        if fault == "broker":
            broker.stop()
            time.sleep(OUTAGE_S)
            broker.start()
        else:
            processes[fault].kill()
            processes[fault].start()
            if fault == "api":
                wait_until(lambda: api_ready(settings), 60, lambda: processes["api"].log())
        injected[fault] += 1
    return injected


def offsets(settings: Settings) -> list[tuple[int, int]]:
    """Where the projector of `settings` stands in each partition ([] before it starts)."""
    with psycopg.connect(settings.database_url) as conn:
        try:
            return conn.execute("SELECT partition, next_offset FROM projector_positions ORDER BY 1").fetchall()
        except psycopg.errors.UndefinedTable:
            return []


def read_model_checksums(settings: Settings) -> dict[str, str]:
    with psycopg.connect(settings.database_url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'momentum\\_%'"
        ).fetchall() if r[0] not in POSITION_TABLES]
        return {
            table: conn.execute(
                f'SELECT md5(coalesce(string_agg(t::text, \'|\' ORDER BY t::text), \'\')) FROM "{table}" t'
            ).fetchone()[0]  # type: ignore[index]
            for table in sorted(tables)
        }


def test_chaos_loses_nothing_and_duplicates_nothing(tmp_path: Path, log_dir: Path) -> None:
    with private_kafka(tmp_path / "kafka") as (broker, bootstrap):
        settings = fresh_settings(kafka_bootstrap=bootstrap, relay_batch_size=50, projector_batch_size=100)
        rebuild = fresh_settings(kafka_bootstrap=bootstrap, kafka_topic=settings.kafka_topic)
        try:
            with running_pipeline(settings, log_dir) as processes:
                load = Load(settings)
                started = time.monotonic()
                load.start()
                try:
                    injected = inject_faults(processes, broker, settings)
                finally:
                    load.faults_over.set()
                load.join()
                last = scalar(settings, "SELECT max(notification_id) FROM momentum_events")
                wait_until(lambda: scalar(settings, "SELECT max(sequence) FROM relay_positions") >= last, 300,
                           lambda: processes["relay"].log())
                reached = "SELECT min(safe_sequence) FROM projector_positions"
                wait_until(lambda: scalar(settings, reached) >= last, 300, lambda: processes["projector"].log())
                elapsed = time.monotonic() - started
            (log_dir / "rebuild").mkdir()
            rebuilt = Process("projector", rebuild, log_dir / "rebuild")
            rebuilt.start()
            live_offsets = offsets(settings)
            wait_until(lambda: offsets(rebuild) == live_offsets, 300, lambda: rebuilt.log())
            rebuilt.stop()
            report(settings, rebuild, load, injected, elapsed)
        finally:
            drop_database(settings)
            drop_database(rebuild)


def report(settings: Settings, rebuild: Settings, load: Load, injected: Counter[str], elapsed: float) -> None:
    stored = stored_sequences(settings)
    published = Counter(r["sequence"] for r in read_topic(settings))
    duplicated = sum(n - 1 for n in published.values() if n > 1)
    live, rebuilt = read_model_checksums(settings), read_model_checksums(rebuild)
    differing = sorted(t for t in live if live[t] != rebuilt.get(t))
    print(
        f"\nchaos: {sum(load.outcomes.values())} commands in {elapsed:.0f}s, outcomes {dict(load.outcomes)}\n"
        f"chaos: faults injected {dict(injected)} (broker outage {OUTAGE_S:.0f}s)\n"
        f"chaos: events expected {len(stored)} / found {len(published)} / duplicated {duplicated}\n"
        f"chaos: read models {'equal' if not differing else 'DIFFERENT: ' + ', '.join(differing)}"
        f" to a rebuild ({', '.join(live)})"
    )
    assert injected == Counter({"relay": 5, "projector": 5, "api": 1, "broker": 1})
    assert load.outcomes["stored"] > sum(load.outcomes.values()) / 2
    assert sorted(published) == stored and duplicated == 0
    assert live and not differing
