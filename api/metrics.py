"""Prometheus metrics of one API process: request latency, errors by code, the lags of
the relay and of the projector as far as PostgreSQL tells them, the events in quarantine, the
measurements refused, and the latency of each hop of the pipeline (projections/latencies.py for
the relay's and the projector's, measured in their processes; the notice and the consistency
wait measured here)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import HistogramMetricFamily
from prometheus_client.registry import Collector
from psycopg import AsyncConnection, sql

from projections import latencies, measurements, notices, quarantine

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "momentum_http_request_duration_seconds",
            "Time to answer an HTTP request, by route and method.",
            ["route", "method"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "momentum_errors", "Errors returned to clients, by stable code.", ["code"], registry=self.registry
        )
        self.relay_lag = Gauge(
            "momentum_relay_lag_events",
            "Events stored but not yet published to Kafka (max notification id - relay position).",
            registry=self.registry,
        )
        self.projector_lag = Gauge(
            "momentum_projector_lag_sequences",
            "Per partition: relay position - the sequence the partition's read models have reached.",
            ["partition"],
            registry=self.registry,
        )
        self.quarantined = Gauge(
            "momentum_projection_quarantined_events",
            "Events of the topic a fold could not apply, parked with their aggregate's later events "
            "(`momentum projections quarantine list`).",
            registry=self.registry,
        )
        self.measurements_refused = Gauge(
            "momentum_measurements_refused",
            "Measurements refused, by reason, from the topic and recordMeasurements: each is a row of "
            "measurement_dead_letters.",
            ["reason"],
            registry=self.registry,
        )
        self.cache_drops = Counter(
            "momentum_aggregate_cache_drops",
            "Times this process forgot its cached aggregates: after an erasure, or after a reconnect "
            "(one may have been missed).",
            registry=self.registry,
        )
        self.notice_delay = Histogram(
            "momentum_read_model_notice_delay_seconds",
            "From the projector sending its notice of a committed batch to this process hearing it.",
            buckets=latencies.BUCKETS, registry=self.registry,
        )
        self.freshness = Histogram(
            "momentum_event_freshness_seconds",
            "End to end: from an event's time (its command) to this process hearing that the read "
            "models hold it (the newest event of each notice).",
            buckets=latencies.BUCKETS, registry=self.registry,
        )
        self.consistency_wait = Histogram(
            "momentum_consistency_wait_seconds",
            "Time a query waited for the read models to reach its consistency token (queries that waited).",
            buckets=latencies.BUCKETS, registry=self.registry,
        )
        self.pipeline = _PipelineLatencies()
        self.registry.register(self.pipeline)
        self.lag_read_failures = Counter(
            "momentum_metrics_lag_read_failures", "Scrapes that could not read the lags from PostgreSQL.",
            registry=self.registry,
        )

    def error(self, code: str) -> None:
        self.errors.labels(code=code).inc()

    def heard(self, notice: notices.Notice) -> None:
        now = time.time()
        if notice.sent_at is not None:
            self.notice_delay.observe(max(0.0, now - notice.sent_at))
        if notice.event_at is not None:
            self.freshness.observe(max(0.0, now - notice.event_at))

    async def read_lags(self, conn: AsyncConnection[Any], events_table: str, topic: str) -> None:
        stored, relayed, partitions = await _positions(conn, events_table, topic)
        self.relay_lag.set(max(0, stored - relayed))
        for partition, safe in partitions:
            self.projector_lag.labels(partition=str(partition)).set(max(0, relayed - safe))
        self.quarantined.set(await quarantine.count(conn, topic))
        self.pipeline.rows = await latencies.read(conn)
        for reason, count in (await measurements.refused_by_reason(conn)).items():
            self.measurements_refused.labels(reason=reason).set(count)

    def render(self) -> bytes:
        """The exposition text."""
        return generate_latest(self.registry)


class _PipelineLatencies(Collector):
    """The relay's and the projector's hops, as read from PostgreSQL at the last scrape."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, list[int], float, int]] = []

    def collect(self) -> Iterator[HistogramMetricFamily]:
        family = HistogramMetricFamily(
            "momentum_pipeline_latency_seconds",
            "Latency of each hop of the relay and the projector, by hop: "
            + "; ".join(f"{hop}: {text}" for hop, text in latencies.HOPS.items()),
            labels=["hop"],
        )
        bounds = [str(b) for b in latencies.BUCKETS] + ["+Inf"]
        for hop, counts, total, _ in self.rows:
            if len(counts) == len(bounds):
                family.add_metric([hop], list(zip(bounds, accumulate(counts), strict=True)), total)
        yield family


async def _positions(conn: AsyncConnection[Any], events_table: str, topic: str) -> tuple[int, int, list[Any]]:
    query = sql.SQL(
        "SELECT (SELECT coalesce(max(notification_id), 0) FROM {}), "
        "(SELECT coalesce(max(sequence), 0) FROM relay_positions WHERE topic = %s)"
    ).format(sql.Identifier(events_table))
    cur = await conn.execute(query, (topic,))
    row = await cur.fetchone()
    assert row is not None
    cur = await conn.execute(
        "SELECT partition, safe_sequence FROM projector_positions WHERE topic = %s ORDER BY partition", (topic,)
    )
    return int(row[0]), int(row[1]), await cur.fetchall()
