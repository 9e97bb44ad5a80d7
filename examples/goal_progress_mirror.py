"""An example integrator: mirrors goal progress from the momentum.events topic into SQLite.

    python examples/goal_progress_mirror.py --bootstrap 127.0.0.1:9092 --db goals.sqlite

Only kafka-python and the standard library. It stores its own offsets in the SQLite file, in the
same transaction as the data they produced, so it resumes exactly where it stopped after any
crash or restart; the event `id` dedupes anything delivered twice. It reads with
isolation_level=read_committed, so it never sees a record of an aborted relay transaction."""

from __future__ import annotations

import argparse
import json
import sqlite3
from typing import Any

from kafka import KafkaConsumer, TopicPartition

SCHEMA = """
CREATE TABLE IF NOT EXISTS goals (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, progress REAL NOT NULL DEFAULT 0, confidence INTEGER,
    version INTEGER NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS key_results (
    goal_id TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL, progress REAL NOT NULL,
    PRIMARY KEY (goal_id, id));
CREATE TABLE IF NOT EXISTS seen_events (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS offsets (topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
    PRIMARY KEY (topic, partition));
"""


def apply(db: sqlite3.Connection, event: dict[str, Any]) -> None:
    """One goal event; others are ignored. Types are matched without their version suffix."""
    kind = event["type"].rpartition(".")[0]
    goal, data = event["subject"], event["data"]
    touch = "UPDATE goals SET version = ?, updated_at = ? WHERE id = ?"
    if kind == "momentum.goal.Created":
        db.execute("INSERT INTO goals (id, title, version, updated_at) VALUES (?, ?, ?, ?)",
                   (goal, data["title"], event["aggregateversion"], event["time"]))
    elif kind == "momentum.goal.DetailsChanged":
        db.execute("UPDATE goals SET title = ? WHERE id = ?", (data["title"], goal))
    elif kind == "momentum.goal.CheckInRecorded":
        db.execute("UPDATE goals SET progress = ?, confidence = ? WHERE id = ?",
                   (data["progress"], data["confidence"], goal))
    elif kind == "momentum.goal.KeyResultAdded":
        db.execute("INSERT INTO key_results VALUES (?, ?, ?, ?)",
                   (goal, data["key_result_id"], data["title"], data["progress"]))
    elif kind in ("momentum.goal.KeyResultCheckedIn", "momentum.goal.TargetRevised"):
        db.execute("UPDATE key_results SET progress = ? WHERE goal_id = ? AND id = ?",
                   (data["progress"], goal, data["key_result_id"]))
    else:
        return
    db.execute(touch, (event["aggregateversion"], event["time"], goal))


def mirror(bootstrap: str, topic: str, path: str, *, until_caught_up: bool = True) -> int:
    """Apply new events; return how many were applied. Stops at the topic's end if asked."""
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(SCHEMA)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, isolation_level="read_committed",
                             enable_auto_commit=False, client_id="goal-progress-mirror")
    applied = 0
    try:
        parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(parts)
        stored = dict(db.execute("SELECT partition, next_offset FROM offsets WHERE topic = ?", (topic,)).fetchall())
        for tp in parts:
            if tp.partition in stored:
                consumer.seek(tp, stored[tp.partition])
            else:
                consumer.seek_to_beginning(tp)
        ends = consumer.end_offsets(parts)
        while not until_caught_up or any(consumer.position(tp) < ends[tp] for tp in parts):
            for tp, records in consumer.poll(timeout_ms=500).items():
                applied += _apply_batch(db, tp, records)
    finally:
        consumer.close()
        db.close()
    return applied


def _apply_batch(db: sqlite3.Connection, tp: TopicPartition, records: list[Any]) -> int:
    """The batch's changes and the partition's next offset commit together, or not at all."""
    applied = 0
    db.execute("BEGIN")
    try:
        for record in records:
            event = json.loads(record.value)
            if db.execute("INSERT OR IGNORE INTO seen_events VALUES (?)", (event["id"],)).rowcount:
                apply(db, event)
                applied += 1
        db.execute("INSERT OR REPLACE INTO offsets VALUES (?, ?, ?)", (tp.topic, tp.partition, records[-1].offset + 1))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return applied


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="momentum.events")
    parser.add_argument("--db", default="goals.sqlite")
    parser.add_argument("--follow", action="store_true", help="keep running after catching up")
    args = parser.parse_args()
    print(f"applied {mirror(args.bootstrap, args.topic, args.db, until_caught_up=not args.follow)} events")


if __name__ == "__main__":
    main()
