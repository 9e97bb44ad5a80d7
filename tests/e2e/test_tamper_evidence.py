"""Tamper evidence: `momentum audit verify` recomputes the hash chains from the event store and
from the Kafka topic and points at exactly the event that was altered or forged."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from kafka import KafkaProducer

from application.identity import Actor
from application.momentum import Momentum
from bootstrap import build_momentum
from settings import Settings
from tests.stack import Process, read_topic, run_cli, wait_until
from tests.superuser import alter_stored_event

ADMIN = Actor("root", frozenset({"admin"}))


def audit(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(settings, "audit", *args, timeout=180)


def history(app: Momentum) -> list[str]:
    goals = []
    for n in range(3):
        goal = str(app.goals.create_goal(ADMIN, title=f"Goal {n}").aggregate_id)
        app.goals.edit_goal(ADMIN, goal, title=f"Goal {n} renamed", reason="clearer")
        for progress in (10.0, 20.0, 30.0):
            app.goals.record_check_in(ADMIN, goal, progress=progress, note=f"week {progress:g}")
        goals.append(goal)
    app.audit.take_checkpoint(ADMIN)
    app.goals.record_check_in(ADMIN, goals[0], progress=40.0)
    return goals


def published(settings: Settings, app: Momentum) -> list[dict]:
    last = app.recorder.max_notification_id()
    return wait_until(lambda: (r := read_topic(settings)) and max(e["sequence"] for e in r) == last and r,
                      60, "the relay to publish every event")


def test_verify_finds_the_altered_stored_event_and_the_forged_topic_record(settings: Settings, log_dir: Path) -> None:
    Process("relay", settings, log_dir).start()
    app = build_momentum(settings)
    goals = history(app)
    records = published(settings, app)
    intact = audit(settings, "verify")
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "event store: intact (17 events" in intact.stdout
    assert "1 checkpoints" in intact.stdout

    original = next(r for r in records if r["subject"] == goals[2] and r["aggregateversion"] == 4)
    forged = {**original, "data": {**original["data"], "progress": 95.0}}
    forged.pop("_key"), forged.pop("_partition")
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    headers = [("sequence", str(original["sequence"]).encode()), ("type", original["type"].encode())]
    key, value = goals[2].encode(), json.dumps(forged).encode()
    sent = producer.send(settings.kafka_topic, key=key, value=value, headers=headers)
    metadata = sent.get(timeout=30)
    producer.close()
    topic_check = audit(settings, "verify", "--source", "topic")
    assert topic_check.returncode == 1
    assert (f"chain broken at sequence {original['sequence']} (partition {metadata.partition} offset "
            f"{metadata.offset}): momentum.goal.CheckInRecorded.v2 of {goals[2]} version 4") in topic_check.stdout

    altered = next(r for r in records if r["subject"] == goals[1] and r["aggregateversion"] == 2)
    alter_stored_event(settings, goals[1], 2, "Goal 1 renamed", "Goal 1 rewritten")
    assert app.goals.get_goal(goals[1], version=2).title == "Goal 1 rewritten"
    store_check = audit(settings, "verify", "--source", "store")
    assert store_check.returncode == 1
    assert (f"chain broken at sequence {altered['sequence']} (event store): momentum.goal.DetailsChanged.v2 "
            f"of {goals[1]} version 2: its content does not match") in store_check.stdout
    app.close()
