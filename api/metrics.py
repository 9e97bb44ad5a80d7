"""Prometheus metrics of one API process: request latency, errors by code, the lags of
the relay and of the projector as far as PostgreSQL tells them, the events in quarantine and the
measurements refused."""

from __future__ import annotations

from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from psycopg import AsyncConnection, sql

from projections import measurements, quarantine

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
        self.lag_read_failures = Counter(
            "momentum_metrics_lag_read_failures", "Scrapes that could not read the lags from PostgreSQL.",
            registry=self.registry,
        )

    def error(self, code: str) -> None:
        self.errors.labels(code=code).inc()

    async def read_lags(self, conn: AsyncConnection[Any], events_table: str, topic: str) -> None:
        stored, relayed, partitions = await _positions(conn, events_table, topic)
        self.relay_lag.set(max(0, stored - relayed))
        for partition, safe in partitions:
            self.projector_lag.labels(partition=str(partition)).set(max(0, relayed - safe))
        self.quarantined.set(await quarantine.count(conn, topic))
        for reason, count in (await measurements.refused_by_reason(conn)).items():
            self.measurements_refused.labels(reason=reason).set(count)

    def render(self) -> bytes:
        """The exposition text."""
        return generate_latest(self.registry)


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
