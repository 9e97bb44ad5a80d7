"""The example integrator mirrors goal progress into SQLite and resumes after a restart."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path
from types import ModuleType

from application.identity import Actor
from bootstrap import build_momentum
from settings import Settings
from tests.stack import ROOT, Process, read_topic, running, wait_until

ADA = Actor(id="ada")


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("goal_progress_mirror", ROOT / "examples" / "goal_progress_mirror.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def published(settings: Settings, count: int) -> None:
    wait_until(lambda: len(read_topic(settings)) == count, 30, f"{count} events on the topic")


def test_the_mirror_copies_goal_progress_and_resumes_after_a_restart(
    settings: Settings, log_dir: Path, tmp_path: Path
) -> None:
    example, db = load_example(), str(tmp_path / "goals.sqlite")
    app = build_momentum(settings)
    with running(Process("relay", settings, log_dir)):
        first = app.goals.create_goal(ADA, title="Grow").aggregate_id
        app.goals.record_check_in(ADA, str(first), progress=40, confidence=6)
        published(settings, 2)
        assert example.mirror(settings.kafka_bootstrap, settings.kafka_topic, db) == 2

        second = app.goals.create_goal(ADA, title="Hire").aggregate_id
        app.goals.record_check_in(ADA, str(first), progress=55, confidence=8)
        app.goals.record_check_in(ADA, str(second), progress=10)
        published(settings, 5)
    app.close()

    assert example.mirror(settings.kafka_bootstrap, settings.kafka_topic, db) == 3  # only what is new
    assert example.mirror(settings.kafka_bootstrap, settings.kafka_topic, db) == 0
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, title, progress, confidence, version FROM goals ORDER BY title").fetchall()
    assert rows == [(str(first), "Grow", 55.0, 8, 3), (str(second), "Hire", 10.0, None, 2)]


def test_a_record_seen_twice_changes_nothing(settings: Settings, log_dir: Path, tmp_path: Path) -> None:
    example, db = load_example(), str(tmp_path / "goals.sqlite")
    app = build_momentum(settings)
    goal = app.goals.create_goal(ADA, title="Once").aggregate_id
    app.goals.record_check_in(ADA, str(goal), progress=30)
    app.close()
    with running(Process("relay", settings, log_dir)):
        published(settings, 2)
    assert example.mirror(settings.kafka_bootstrap, settings.kafka_topic, db) == 2
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM offsets")  # as if the offsets had been lost: everything is redelivered
    assert example.mirror(settings.kafka_bootstrap, settings.kafka_topic, db) == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT progress, version FROM goals").fetchall() == [(30.0, 2)]
