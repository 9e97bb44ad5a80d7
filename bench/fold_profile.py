"""The projector in this process under cProfile, on a topic of goal events: events/s, CPU µs per
event of this process and of PostgreSQL, and the functions that cost most.

    .venv/bin/python -m bench.fold_profile [EVENTS] [--topic NAME] [--no-profile]

With --topic, a topic of that name is filled once (EVENTS goal events through the real relay)
and reused by later runs, so before and after are measured on the same records."""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import threading
import time

from bench.cpu import BackendMeter, per_event, process_seconds
from bench.harness import collecting_as_a_consumer, isolated, wait_until
from bench.pipeline import fill_topic, topic_end
from bootstrap import build_projector
from settings import Settings


def _filled(topic: str | None, events: int) -> str:
    if topic and topic_end(Settings(kafka_topic=topic)) >= events:
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
    with isolated(kafka_topic=topic) as fresh, collecting_as_a_consumer():
        end = topic_end(fresh)
        projector = build_projector(fresh)
        meter = BackendMeter(fresh.database_url)
        stop = threading.Event()

        first: list[float] = []
        marks = [(0, time.perf_counter(), process_seconds(os.getpid()), 0.0)]

        def window(applied: int) -> None:
            """The last tenth's rate and CPU per record: flat when the cost does not grow with the tables."""
            now = (applied, time.perf_counter(), process_seconds(os.getpid()), meter.seconds())
            done, seconds = now[0] - marks[-1][0], now[1] - marks[-1][1]
            cpu, pg = per_event(now[2] - marks[-1][2], done), per_event(now[3] - marks[-1][3], done)
            print(f"  up to {applied:,}: {done / seconds:,.0f}/s, CPU per record: projector {cpu} µs, "
                  f"PostgreSQL {pg} µs", flush=True)
            marks.append(now)

        def watch() -> None:
            def applied() -> bool:
                meter.sample()
                row = meter.conn.execute("SELECT coalesce(sum(next_offset), 0) FROM projector_positions").fetchone()
                if not first and row and row[0]:
                    first.append(time.perf_counter())
                if row and row[0] >= marks[-1][0] + end // 10:
                    window(int(row[0]))
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
        sizes = meter.conn.execute(
            "SELECT relname, pg_table_size(c.oid), pg_indexes_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'public' AND relkind = 'r' "
            "ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 8").fetchall()
        meter.close()
    events = args.events  # the topic's offsets count transaction markers too
    print(f"{events:,} records in {elapsed:.2f} s: {events / elapsed:,.0f}/s; CPU per event: "
          f"projector {per_event(cpu, events)} µs, PostgreSQL {per_event(pg, events)} µs"
          f"{' (under cProfile)' if profile else ''}; first batch committed after {first[0] - started:.2f} s; "
          f"topic {topic}")
    print("bytes per event (table + indexes):", ", ".join(
        f"{name} {table / events:.0f} + {indexes / events:.0f}" for name, table, indexes in sizes))
    if profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
