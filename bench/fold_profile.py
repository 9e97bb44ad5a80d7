"""The projector in this process under cProfile, on a topic of goal events: events/s, CPU µs per
event of this process and of PostgreSQL, and the functions that cost most.

    .venv/bin/python -m bench.fold_profile [EVENTS] [--topic NAME] [--no-profile]

With --topic, a topic of that name is filled once (EVENTS goal events through the real relay)
and reused by later runs, so before and after are measured on the same records."""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import threading
import time

from kafka import KafkaConsumer, TopicPartition

from bench.cpu import BackendMeter, per_event, process_seconds
from bench.harness import isolated, wait_until
from bench.pipeline import fill_topic
from bootstrap import build_projector
from settings import Settings


def _ends(settings: Settings) -> int:
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, isolation_level="read_committed")
    try:
        parts = consumer.partitions_for_topic(settings.kafka_topic) or set()
        tps = [TopicPartition(settings.kafka_topic, p) for p in parts]
        return sum(consumer.end_offsets(tps).values()) if tps else 0
    finally:
        consumer.close()


def _filled(topic: str | None, events: int) -> str:
    if topic and _ends(Settings(kafka_topic=topic)) >= events:
        return topic
    with isolated(**({"kafka_topic": topic} if topic else {})) as settings:
        app, _ = fill_topic(settings, events)
        app.close()
        return settings.kafka_topic


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("events", type=int, nargs="?", default=10_000)
    parser.add_argument("--topic")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()
    topic = _filled(args.topic, args.events)
    gc.freeze()  # as `momentum projector` does (cli/main.py)
    gc.set_threshold(50_000, 20, 20)
    with isolated(kafka_topic=topic) as fresh:
        end = _ends(fresh)
        projector = build_projector(fresh)
        meter = BackendMeter(fresh.database_url)
        stop = threading.Event()

        first: list[float] = []

        def watch() -> None:
            def applied() -> bool:
                meter.sample()
                row = meter.conn.execute("SELECT coalesce(sum(next_offset), 0) FROM projector_positions").fetchone()
                if not first and row and row[0]:
                    first.append(time.perf_counter())
                return bool(row and row[0] >= end)

            wait_until(applied, 3600, poll=0.05)
            stop.set()

        watcher = threading.Thread(target=watch)
        profile = None if args.no_profile else cProfile.Profile()
        cpu_before, pg_before = process_seconds(os.getpid()), meter.seconds()
        started = time.perf_counter()
        watcher.start()
        if profile:
            profile.enable()
        projector.run(stop)
        if profile:
            profile.disable()
        elapsed = time.perf_counter() - started
        watcher.join()
        cpu = process_seconds(os.getpid()) - cpu_before
        pg = meter.seconds() - pg_before
        meter.close()
    events = args.events  # the topic's offsets count transaction markers too
    print(f"{events:,} records in {elapsed:.2f} s: {events / elapsed:,.0f}/s; CPU per event: "
          f"projector {per_event(cpu, events)} µs, PostgreSQL {per_event(pg, events)} µs"
          f"{' (under cProfile)' if profile else ''}; first batch committed after {first[0] - started:.2f} s; "
          f"topic {topic}")
    if profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
