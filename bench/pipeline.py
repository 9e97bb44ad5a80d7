"""Relay, projector and rebuild throughput, against raw kafka-python in the same run."""

from __future__ import annotations

import os
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import psycopg
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from application.momentum import Momentum
from bench.cpu import BackendMeter, per_event, process_seconds
from bench.data import store_goals
from bench.harness import isolated, momentum_process, wait_until
from bootstrap import build_momentum, build_projector, build_relay
from consumers.relay import published_envelope
from consumers.topic import ensure_topic
from contracts.envelope import encode
from settings import Settings
from tests.stack import scalar


def relay(settings: Settings, events: int) -> dict[str, Any]:
    """Publish a backlog of `events` stored events; baseline: a producer sending the same bytes."""
    app = build_momentum(settings)
    store_goals(app, events)
    last = app.recorder.max_notification_id() or 0
    ours, relay_cpu = publish_backlog(settings, last)
    payloads = [
        (str(n.originator_id).encode(), encode(published_envelope(app, n, settings.event_source)))
        for start in range(0, last, 10_000)
        for n in app.recorder.select_notifications(start=start, limit=10_000, inclusive_of_start=False)
    ]
    raw_topic = settings.kafka_topic + ".raw"
    ensure_topic(settings.kafka_bootstrap, raw_topic, settings.kafka_partitions)
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all", enable_idempotence=True,
                             linger_ms=5, batch_size=512 * 1024)
    started, cpu = time.perf_counter(), time.process_time()
    for key, value in payloads:
        producer.send(raw_topic, key=key, value=value)
    producer.flush()
    raw, raw_cpu = time.perf_counter() - started, time.process_time() - cpu
    producer.close()
    result = _ratio("relay", len(payloads), ours, raw, "kafka-python producer, same bytes, acks=all, idempotent")
    result["ours"]["cpu_us_per_event"] = round(relay_cpu / len(payloads) * 1e6, 1)
    result["baseline"]["cpu_us_per_event"] = round(raw_cpu / len(payloads) * 1e6, 1)
    return result


def fill_topic(settings: Settings, events: int) -> tuple[Momentum, float]:
    """Store `events` events, then run the relay until the topic holds them all: the app and the relay's seconds."""
    app = build_momentum(settings)
    store_goals(app, events)
    seconds, _ = publish_backlog(settings, app.recorder.max_notification_id() or 0)
    return app, seconds


def publish_backlog(settings: Settings, last: int) -> tuple[float, float]:
    """Run the relay in a thread until it has published up to sequence `last`: its seconds, and the CPU
    seconds of every thread but this one (the relay's and its producer's; this one only waits)."""
    cpu, waiting = time.process_time(), time.thread_time()
    seconds = _timed_thread(build_relay(settings).run,
                            lambda: scalar(settings, "SELECT max(sequence) FROM relay_positions") >= last)
    return seconds, (time.process_time() - cpu) - (time.thread_time() - waiting)


def projector(settings: Settings, events: int) -> dict[str, Any]:
    """Apply a topic of `events` events into fresh read models; baseline: a consumer that only polls."""
    with isolated(kafka_topic=settings.kafka_topic, kafka_bootstrap=settings.kafka_bootstrap) as fresh:
        end = topic_end(settings)
        meter = BackendMeter(fresh.database_url)
        cpu_before = process_seconds(os.getpid())
        ours = _timed_thread(build_projector(fresh).run, meter.sampling(lambda: _applied_seen(meter) >= end))
        cpu = {"projector_us": per_event(process_seconds(os.getpid()) - cpu_before, events),
               "postgresql_us": per_event(meter.seconds(), events)}
        meter.close()
    raw = _poll_topic(settings)
    return {**_ratio("projector", events, ours, raw, "kafka-python consumer polling the same topic (read_committed)"),
            "cpu_per_event": cpu}


def rebuild(settings: Settings, events: int, processes: int = 1) -> dict[str, Any]:
    """All read models from offset 0 by `processes` projector processes (one consumer group
    sharing the partitions): events/s, the CPU per event of them together and of PostgreSQL,
    and the peak memory of the largest."""
    with isolated(kafka_topic=settings.kafka_topic, kafka_bootstrap=settings.kafka_bootstrap) as fresh, \
            ExitStack() as children:
        started_processes = [children.enter_context(momentum_process("projector", fresh)) for _ in range(processes)]
        end = topic_end(settings)
        meter = BackendMeter(fresh.database_url)
        started = time.perf_counter()
        wait_until(meter.sampling(lambda: _applied_seen(meter) >= end), 3600, poll=0.2)
        elapsed = time.perf_counter() - started
        peak_kib = max(_peak_kib(p.pid) for p in started_processes)
        cpu = {"projector_us": per_event(sum(process_seconds(p.pid) for p in started_processes), events),
               "postgresql_us": per_event(meter.seconds(), events)}
        meter.close()
    return {"events": events, "processes": processes, "seconds": round(elapsed, 2),
            "events_per_s": round(events / elapsed), "peak_memory_mb": round(peak_kib / 1024, 1),
            "cpu_per_event": cpu}


def _applied_seen(meter: BackendMeter) -> int:
    """How far the projector has come, summed over partitions, asked on the meter's open
    connection (left out of PostgreSQL's figure). A new connection per question cost this
    process 6.5 ms of CPU each, about 14 a second, which the projector scenario counted as
    the projector's: ~18 µs per event at 5,000 events/s."""
    try:
        row = meter.conn.execute("SELECT coalesce(sum(next_offset), 0) FROM projector_positions").fetchone()
    except psycopg.errors.UndefinedTable:
        return 0
    return int(row[0]) if row else 0


def topic_end(settings: Settings) -> int:
    """The topic's end offsets summed over its partitions (transaction markers count); 0 without the topic."""
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, isolation_level="read_committed")
    try:
        parts = [TopicPartition(settings.kafka_topic, p)
                 for p in consumer.partitions_for_topic(settings.kafka_topic) or ()]
        return sum(consumer.end_offsets(parts).values()) if parts else 0
    finally:
        consumer.close()


def _poll_topic(settings: Settings) -> float:
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, isolation_level="read_committed",
                             enable_auto_commit=False, max_poll_records=settings.projector_batch_size)
    parts = [TopicPartition(settings.kafka_topic, p) for p in consumer.partitions_for_topic(settings.kafka_topic)]
    consumer.assign(parts)
    ends = consumer.end_offsets(parts)
    started = time.perf_counter()
    consumer.seek_to_beginning()
    while any(consumer.position(tp) < ends[tp] for tp in parts):
        consumer.poll(timeout_ms=500)
    elapsed = time.perf_counter() - started
    consumer.close()
    return elapsed


def _timed_thread(run: Any, done: Any) -> float:
    stop = threading.Event()
    thread = threading.Thread(target=run, args=(stop,))
    started = time.perf_counter()
    thread.start()
    wait_until(done, 3600, poll=0.05)
    elapsed = time.perf_counter() - started
    stop.set()
    thread.join()
    return elapsed


def _peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _ratio(name: str, events: int, ours: float, raw: float, baseline: str) -> dict[str, Any]:
    return {
        "events": events,
        "ours": {"seconds": round(ours, 3), "events_per_s": round(events / ours)},
        "baseline": {"what": baseline, "seconds": round(raw, 3), "events_per_s": round(events / raw)},
        "ratio": round(raw / ours, 3),
    }
