"""Relay, projector and rebuild throughput, against raw kafka-python in the same run."""

from __future__ import annotations

import itertools
import os
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing.persistence import Notification
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from application.momentum import Momentum
from bench.cpu import BackendMeter, per_event, process_seconds
from bench.data import store_goals
from bench.harness import collecting_as_a_consumer, isolated, momentum_process, wait_until
from bootstrap import build_momentum, build_projector, build_relay
from consumers.relay import published_envelope, record_headers
from consumers.topic import ensure_topic
from contracts.envelope import encode
from settings import Settings


def relay(settings: Settings, events: int) -> dict[str, Any]:
    """Publish a backlog of `events` stored events; baselines: a producer sending the same bytes
    (key, value and the contract's three headers), and one sending key and value only. Neither
    baseline uses transactions: those are the relay's exactly-once, not part of the bytes."""
    app = build_momentum(settings)
    store_goals(app, events)
    last = app.recorder.max_notification_id() or 0
    ours, startup, relay_cpu = _publish_backlog(settings, last)
    records = [
        _record(app, n, settings.event_source)
        for start in range(0, last, 10_000)
        for n in app.recorder.select_notifications(start=start, limit=10_000, inclusive_of_start=False)
    ]
    with_headers, with_headers_cpu = _raw_producer(settings, ".raw-headers", records)
    bare, bare_cpu = _raw_producer(settings, ".raw", [(key, value, None) for key, value, _ in records])
    result = _ratio("relay", len(records), ours, with_headers,
                    "kafka-python producer, same bytes (key, value, headers), acks=all, idempotent")
    result["ours"]["cpu_us_per_event"] = per_event(relay_cpu, len(records))
    result["baseline"]["cpu_us_per_event"] = per_event(with_headers_cpu, len(records))
    result["baseline_without_headers"] = {
        "what": "the same producer sending key and value only (the baseline before 2026-12-02)",
        "seconds": round(bare, 3), "events_per_s": round(len(records) / bare),
        "cpu_us_per_event": per_event(bare_cpu, len(records)),
    }
    result["ratio_without_headers"] = round(bare / ours, 3)
    # the baselines' topics and producers are made before they are timed; the relay's start-up is
    # in its seconds above: here without it
    publishing = ours - startup
    result["ours"]["startup_seconds"] = round(startup, 3)
    result["ours"]["publishing_events_per_s"] = round(len(records) / publishing)
    result["ratio_publishing"] = round(with_headers / publishing, 3)
    return result


def _record(app: Momentum, notification: Notification, source: str) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """Key, value and headers of the record the relay publishes for `notification`."""
    envelope = published_envelope(app, notification, source)
    return str(notification.originator_id).encode(), encode(envelope), record_headers(notification.id, envelope["type"])


def _raw_producer(settings: Settings, suffix: str, records: list[tuple[bytes, bytes, Any]]) -> tuple[float, float]:
    """Send `records` (key, value, headers) to a fresh topic with a plain producer: its seconds and CPU seconds."""
    topic = settings.kafka_topic + suffix
    ensure_topic(settings.kafka_bootstrap, topic, settings.kafka_partitions)
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all", enable_idempotence=True,
                             linger_ms=5, batch_size=512 * 1024)
    started, cpu = time.perf_counter(), time.process_time()
    for key, value, headers in records:
        producer.send(topic, key=key, value=value, headers=headers)
    producer.flush()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    producer.close()
    return elapsed, cpu


def fill_topic(settings: Settings, events: int) -> tuple[Momentum, float]:
    """Store `events` events, then run the relay until the topic holds them all: the app and the relay's seconds."""
    app = build_momentum(settings)
    store_goals(app, events)
    seconds, _ = publish_backlog(settings, app.recorder.max_notification_id() or 0)
    return app, seconds


def publish_backlog(settings: Settings, last: int) -> tuple[float, float]:
    """Run the relay in a thread until it has published up to sequence `last`: its seconds, and the CPU
    seconds of every thread but this one (the relay's and its producer's; this one only waits)."""
    seconds, _, cpu = _publish_backlog(settings, last)
    return seconds, cpu


def _publish_backlog(settings: Settings, last: int) -> tuple[float, float, float]:
    """publish_backlog's seconds, of which the relay's start-up (topic, producer, recovery of the
    position from the topic's tail, until it records that position), and CPU seconds."""
    cpu, waiting = time.process_time(), time.thread_time()
    relay_process = build_relay(settings)
    startup: list[float] = []
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        def done() -> bool:
            try:
                row = conn.execute("SELECT max(sequence) FROM relay_positions WHERE topic = %s",
                                   (settings.kafka_topic,)).fetchone()
            except psycopg.errors.UndefinedTable:
                return False
            if not startup and row and row[0] is not None:
                startup.append(time.perf_counter())
            return bool(row and row[0] is not None and row[0] >= last)

        started = time.perf_counter()
        seconds = _timed_thread(relay_process.run, done, poll=0.01)
    return seconds, (startup or [started])[0] - started, (time.process_time() - cpu) - (time.thread_time() - waiting)


def projector(settings: Settings, events: int) -> dict[str, Any]:
    """Apply a topic of `events` events into fresh read models; baseline: a consumer that only polls."""
    with isolated(kafka_topic=settings.kafka_topic, kafka_bootstrap=settings.kafka_bootstrap) as fresh, \
            collecting_as_a_consumer():
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
        progress = Progress(end)
        started = time.perf_counter()
        wait_until(meter.sampling(lambda: progress.seen(_applied_seen(meter))), 3600, poll=0.2)
        elapsed = time.perf_counter() - started
        peak_kib = max(_peak_kib(p.pid) for p in started_processes)
        cpu = {"projector_us": per_event(sum(process_seconds(p.pid) for p in started_processes), events),
               "postgresql_us": per_event(meter.seconds(), events)}
        meter.close()
    return {"events": events, "processes": processes, "seconds": round(elapsed, 2),
            "events_per_s": round(events / elapsed), "peak_memory_mb": round(peak_kib / 1024, 1),
            "cpu_per_event": cpu, **progress.by_tenth()}


class Progress:
    """How far a rebuild had come at each look, so that one run shows whether the cost per event
    grows with history: events/s over each tenth of the topic, the ninth against the second."""

    def __init__(self, end: int) -> None:
        self.end = end
        self.looks: list[tuple[float, int]] = []  # (perf_counter, records applied)

    def seen(self, applied: int) -> bool:
        self.looks.append((time.perf_counter(), applied))
        return applied >= self.end

    def by_tenth(self) -> dict[str, Any]:
        moving = [look for look in self.looks if look[1] > 0]  # from the first batch applied, not the group's join
        if not moving or self.end <= 0:
            return {}
        marks = [moving[0]] + [(self._time_at(self.end * k / 10), self.end * k / 10) for k in range(1, 11)]
        rates = [round((b[1] - a[1]) / (b[0] - a[0])) if b[0] > a[0] and b[1] > a[1] else None
                 for a, b in itertools.pairwise(marks)]
        early, late = rates[1], rates[8]  # the first tenth has the start's costs, the last the partitions' uneven ends
        return {"events_per_s_by_tenth": rates,
                "ninth_tenth_over_second": round(late / early, 2) if early and late else None}

    def _time_at(self, mark: float) -> float:
        """When `mark` records were applied, between the looks before and after (a batch lands at once)."""
        after = next(i for i, look in enumerate(self.looks) if look[1] >= mark)
        if after == 0:
            return self.looks[0][0]
        (t0, a0), (t1, a1) = self.looks[after - 1], self.looks[after]
        return t0 + (mark - a0) * (t1 - t0) / (a1 - a0)


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


def _timed_thread(run: Any, done: Any, poll: float = 0.05) -> float:
    stop = threading.Event()
    thread = threading.Thread(target=run, args=(stop,))
    started = time.perf_counter()
    thread.start()
    wait_until(done, 3600, poll=poll)
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
