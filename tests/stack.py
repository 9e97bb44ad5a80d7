"""Test helpers that start the real processes against an isolated database and topic."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import psycopg
from kafka import KafkaConsumer, TopicPartition

from contracts.envelope import decode
from settings import Settings

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get("MOMENTUM_DATABASE_URL", Settings().database_url)
CREATED_TOPICS: list[tuple[str, str]] = []  # (bootstrap, topic) of every fresh_settings: schema-checked at the end


def fresh_settings(server_url: str = BASE_URL, **overrides: Any) -> Settings:
    """A new empty database and a new topic, so tests never see each other's events."""
    tag = uuid.uuid4().hex[:12]
    database = f"momentum_t_{tag}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    url = psycopg.conninfo.make_conninfo(server_url, dbname=database)
    values: dict[str, Any] = {
        "env": "test",
        "database_url": url,
        "kafka_topic": f"momentum.test.{tag}",
        "kafka_partitions": 3,
        "projector_group": f"momentum-projector-{tag}",
        "measurements_topic": f"momentum.measurements.test.{tag}",
        "measurements_group": f"momentum-measurements-{tag}",
        "api_port": free_port(),
        "api_workers": 1,  # one API process unless a test asks for more (a SIGKILL must end the whole API)
        # tests drive one subject far faster than a person: the rate limit has its own tests
        "rate_limit_per_second": 100000,
        "rate_limit_burst": 100000,
    }
    values.update(overrides)
    settings = Settings(**values)
    CREATED_TOPICS.append((settings.kafka_bootstrap, settings.kafka_topic))
    return settings


def fresh_database(**overrides: Any) -> AbstractContextManager[Settings]:
    """`fresh_settings(**overrides)`, its database dropped when the block ends (for a fixture)."""
    return dropped_after(fresh_settings(**overrides))


def exclude_from_schema_check(settings: Settings) -> None:
    """For a test that writes records that are not events to its topic on purpose."""
    CREATED_TOPICS.remove((settings.kafka_bootstrap, settings.kafka_topic))


def drop_database(settings: Settings, retries: int = 10) -> None:
    """Drops the database of `settings`, retrying every 0.5 s while another role's session holds it."""
    database = psycopg.conninfo.conninfo_to_dict(settings.database_url)["dbname"]
    with psycopg.connect(settings.database_url, dbname="postgres", autocommit=True) as conn:
        for _ in range(retries):  # FORCE cannot end another role's session (a superuser's, an autovacuum) at once
            try:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                return
            except psycopg.errors.InsufficientPrivilege:
                time.sleep(0.5)
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@contextmanager
def dropped_after(settings: Settings, drop: Callable[[Settings], None] = drop_database) -> Iterator[Settings]:
    """`settings` for the block, then their database dropped by `drop`."""
    try:
        yield settings
    finally:
        drop(settings)


def environment(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    for name, value in settings.model_dump(mode="json").items():
        if value is not None:  # an unset optional setting stays unset
            env[f"MOMENTUM_{name.upper()}"] = str(value)
    return env


def run_cli(settings: Settings, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`momentum <args>` run to its end against `settings`, its output captured."""
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=environment(settings),
                          capture_output=True, text=True, timeout=timeout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Process:
    """One `momentum <command>` child process that a test can kill and restart."""

    started: list[Process] = []  # stopped after each test by an autouse fixture

    def __init__(self, command: str, settings: Settings, log_dir: Path) -> None:
        self.command = command
        self.settings = settings
        self.log_path = log_dir / f"{command}.log"
        self.child: subprocess.Popen[bytes] | None = None
        Process.started.append(self)

    def start(self) -> Process:
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child
        self.child = subprocess.Popen(
            [sys.executable, "-m", "cli.main", self.command],
            cwd=ROOT,
            env=environment(self.settings),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        return self

    def kill(self) -> None:
        if self.child and self.child.poll() is None:
            self.child.send_signal(signal.SIGKILL)
            self.child.wait()

    def stop(self) -> None:
        if self.child and self.child.poll() is None:
            self.child.terminate()
            try:
                self.child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


def wait_until(condition: Callable[[], Any], timeout: float, message: str | Callable[[], str]) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s: {message if isinstance(message, str) else message()}")


def read_topic(settings: Settings) -> list[dict[str, Any]]:
    """Every committed record of the topic, read by an independent consumer (no group)."""
    return [
        {**decode(record.value), "_key": record.key, "_partition": record.partition}
        for record in topic_records(settings)
    ]


def topic_records(settings: Settings, isolation_level: str = "read_committed", topic: str | None = None) -> list[Any]:
    """The records of the event topic (or of `topic`) as the broker holds them (read_uncommitted:
    aborted ones too)."""
    consumer = KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        isolation_level=isolation_level,
        enable_auto_commit=False,
    )
    try:
        topic = topic or settings.kafka_topic
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not parts:
            return []
        consumer.assign(parts)
        consumer.seek_to_beginning()
        ends = consumer.end_offsets(parts)
        records: list[Any] = []
        deadline = time.monotonic() + 30
        while any(consumer.position(tp) < ends[tp] for tp in parts) and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                records += batch
        return records
    finally:
        consumer.close()


@contextmanager
def running(*processes: Process) -> Iterator[None]:
    for process in processes:
        process.start()
    try:
        yield
    finally:
        for process in processes:
            process.stop()


def scalar(settings: Settings, query: str) -> int:
    """The query's single value; 0 while the table does not exist yet."""
    with psycopg.connect(settings.database_url) as conn:
        try:
            row = conn.execute(query).fetchone()  # type: ignore[arg-type]
        except psycopg.errors.UndefinedTable:
            return 0
    return int(row[0]) if row and row[0] is not None else 0


def stored_events(settings: Settings) -> int:
    """How many events the store holds; 0 before its table exists."""
    return scalar(settings, "SELECT count(*) FROM momentum_events")


def stored_sequences(settings: Settings) -> list[int]:
    """The notification id (the event's global sequence) of every stored event, in order."""
    with psycopg.connect(settings.database_url) as conn:
        return [r[0] for r in conn.execute("SELECT notification_id FROM momentum_events ORDER BY 1").fetchall()]
