"""The composition root: the only place that builds concrete adapters from settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast

import psycopg
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.postgres import PostgresFactory
from fastapi import FastAPI
from psycopg_pool import AsyncConnectionPool

from api.app import create_app
from api.audit.routes import audit_router
from api.auth import TokenVerifier
from api.changes import ReadModelChanges
from api.context import Services
from api.gate import Gate
from api.limits import RateLimiter
from api.metrics import Metrics
from api.pool_check import check_if_spoken_to
from api.requestlog import use_json_logs
from application.momentum import Momentum
from consumers.awarder import Awarder
from consumers.measurements import MeasurementConsumer
from consumers.projector import Projector
from consumers.relay import Relay
from consumers.reminders import Reminders
from domain.recognition import KudosPolicy
from eventstore.immutability import protect_events_table
from eventstore.keys import KeyStore, PostgresKeyStore, create_key_table
from projections import catalog
from projections.gamification.rules import Rules
from projections.notices import Notice
from projections.readmodel import ReadModel
from projections.schema import LOCK_KEY, create_read_models
from projections.sql import uuids_as_text
from settings import Settings

CHAINED_RECORDER = "eventstore.chain_recorder:ChainedRecorder"
API_POOL_NAME = "momentum-api"  # application_name of the API pool's connections (pg_stat_activity)
PoolConfigure = Callable[[psycopg.AsyncConnection[Any]], Awaitable[None]]


def postgres_keys(factory: InfrastructureFactory[Any]) -> KeyStore:
    return PostgresKeyStore(cast(PostgresFactory, factory).datastore)


def build_momentum(settings: Settings) -> Momentum:
    """Processes starting together create the event tables one at a time: PostgreSQL's
    CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin."""
    with connector(settings)() as conn:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            momentum = Momentum(
                env={**settings.eventsourcing_env(), "APPLICATION_RECORDER_TOPIC": CHAINED_RECORDER}, keys=postgres_keys
            )
        protect_events_table(conn, momentum.recorder.events_table_name)  # type: ignore[attr-defined]
    momentum.recognition.kudos_policy = KudosPolicy(
        allowance=settings.kudos_allowance, period=settings.kudos_period, recipient_cap=settings.kudos_recipient_cap
    )
    return momentum


def connector(settings: Settings) -> Callable[[], psycopg.Connection[Any]]:
    def connect() -> psycopg.Connection[Any]:
        return psycopg.connect(settings.database_url, connect_timeout=5)

    return connect


def prepare_read_models(settings: Settings) -> None:
    with connector(settings)() as conn:
        create_read_models(conn, read_models())
        create_key_table(conn)


def build_relay(settings: Settings) -> Relay:
    prepare_read_models(settings)
    return Relay(settings, build_momentum(settings), connector(settings))


def read_models() -> list[ReadModel]:
    return catalog.read_models()


def build_projector(settings: Settings) -> Projector:
    prepare_read_models(settings)
    return Projector(settings, connector(settings), read_models())


def build_rules(settings: Settings) -> Rules:
    return Rules.with_thresholds(settings.level_thresholds)


def build_api_pool(
    settings: Settings, min_size: int = 2, max_size: int = 20, configure: PoolConfigure | None = None
) -> AsyncConnectionPool[Any]:
    """Autocommit: a read is its statements alone, without BEGIN and COMMIT round trips; what
    writes through this pool opens its own transaction. A connection is checked with a round
    trip only when the server spoke to it while it sat in the pool (api.pool_check)."""
    return AsyncConnectionPool(
        settings.database_url, min_size=min_size, max_size=max_size, open=False, timeout=5,
        kwargs={"connect_timeout": 5, "autocommit": True, "application_name": API_POOL_NAME,
                "context": uuids_as_text()},
        check=check_if_spoken_to, configure=configure,
    )


def build_api(settings: Settings) -> FastAPI:
    prepare_read_models(settings)
    pool = build_api_pool(settings)
    if settings.log_format == "json":
        use_json_logs()
    momentum, metrics = build_momentum(settings), Metrics()

    def forget_cached_aggregates() -> None:
        momentum.forget_cached_aggregates()
        metrics.cache_drops.inc()

    services = Services(
        settings=settings,
        momentum=momentum,
        pool=pool,
        limiter=RateLimiter(settings.rate_limit_per_second, settings.rate_limit_burst),
        metrics=metrics,
    )

    def heard(notice: Notice) -> None:
        metrics.heard(notice)
        services.reached.offer(notice)

    services.changes = ReadModelChanges(settings.database_url, on_erasure=forget_cached_aggregates, on_notice=heard)
    gate = Gate(TokenVerifier(settings), services.limiter)  # one JWKS cache and rate limit for GraphQL and /audit
    app = create_app(services, gate)
    app.include_router(audit_router(services, gate))
    return app


def build_reminders(settings: Settings) -> Reminders:
    prepare_read_models(settings)
    return Reminders(build_momentum(settings), connector(settings), settings)


def build_awarder(settings: Settings) -> Awarder:
    prepare_read_models(settings)
    return Awarder(build_momentum(settings), connector(settings), build_rules(settings), settings)


def build_measurement_consumer(settings: Settings) -> MeasurementConsumer:
    prepare_read_models(settings)
    return MeasurementConsumer(settings, build_momentum(settings), connector(settings))
