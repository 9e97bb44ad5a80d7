"""The FastAPI application: GraphQL at /graphql (HTTP and graphql-transport-ws), liveness and
readiness probes, Prometheus metrics; limits and a request id on every request."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from api.auth import Unauthenticated
from api.context import Services
from api.errors import UNAVAILABLE_ERRORS
from api.gate import Gate
from api.graphiql import GraphiQLPage
from api.headers import add_browser_policies
from api.limits import BodySizeLimit, RateLimited
from api.readiness import readiness
from api.refusals import refusal
from api.requestlog import RequestObserver
from api.schema import build_schema
from api.schemas import router as event_schemas
from api.transport import MomentumRouter
from domain.errors import ForbiddenError, ValidationError

BLOCKING_THREADS = 32


def create_app(services: Services, gate: Gate) -> FastAPI:
    settings, metrics = services.settings, services.metrics

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Blocking calls (commands, token checks) run on the loop's default executor. A command
        # waits there for the append it joins (eventstore/chain_recorder.py: group commit), so the
        # executor's size bounds how many writes one append, one commit, can carry: asyncio's
        # default (cores + 4) held 32 concurrent writers to ~6 per append.
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(BLOCKING_THREADS, "blocking"))
        await services.pool.open()
        if services.changes is not None:
            await services.changes.start()
        try:
            yield
        finally:
            if services.changes is not None:
                await services.changes.stop()
            await services.pool.close()

    # no OpenAPI pages: the contract is the GraphQL schema, and /docs would load scripts from a CDN
    app = FastAPI(title="Momentum", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None,
                  telemetry={"tracing": False, "metrics": False, "logs": False})
    graphiql = GraphiQLPage(settings.graphiql_assets)
    app.include_router(
        graphiql.installed_on(MomentumRouter(
            services,
            gate,
            schema=build_schema(settings, on_error_code=metrics.error),
            graphql_ide="graphiql",
            max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
            allowed_origins=settings.cors_origin_list,
        )),
    )
    app.include_router(graphiql.assets_router())
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, on_refuse=metrics.error)
    app.add_middleware(RequestObserver, metrics=metrics)
    add_browser_policies(app, settings, graphiql.html)
    app.include_router(event_schemas)
    refused = partial(refusal, on_code=metrics.error)

    @app.exception_handler(Unauthenticated)
    async def unauthenticated(_: Request, error: Unauthenticated) -> JSONResponse:
        return refused(401, error.message, error.code)

    @app.exception_handler(RateLimited)
    async def rate_limited(_: Request, error: RateLimited) -> JSONResponse:
        return refused(429, error.message, error.code, {"Retry-After": str(max(1, round(error.retry_after)))})

    @app.exception_handler(ForbiddenError)
    async def forbidden(_: Request, error: ForbiddenError) -> JSONResponse:
        return refused(403, error.message, error.code)

    @app.exception_handler(ValidationError)
    async def invalid_header(_: Request, error: ValidationError) -> JSONResponse:
        return refused(400, error.message, error.code)

    @app.exception_handler(UnicodeDecodeError)
    async def undecodable_body(_: Request, error: UnicodeDecodeError) -> JSONResponse:
        return refused(400, "the request body is not valid UTF-8", "VALIDATION")

    @app.exception_handler(HTTPException)
    async def http_refusal(_: Request, error: HTTPException) -> JSONResponse:
        """Routing's refusals (an unknown path 404, a method not allowed 405) in the same shape."""
        return refused(error.status_code, str(error.detail), headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_parameters(_: Request, error: RequestValidationError) -> JSONResponse:
        return refused(400, "invalid request parameters", "VALIDATION")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        body, status = await readiness(services.pool, settings.heartbeat_timeout_seconds)
        return JSONResponse(body, status)

    @app.get("/metrics")
    async def prometheus_metrics() -> Response:
        """Per process; the lags are read from PostgreSQL at each scrape (kept as they were,
        with momentum_metrics_lag_read_failures_total counting up, while it is unreachable)."""
        events_table = f"{services.momentum.name.lower()}_events"
        try:
            async with services.pool.connection(timeout=2) as conn:
                await metrics.read_lags(conn, events_table, settings.kafka_topic)
        except UNAVAILABLE_ERRORS:  # psycopg_pool's PoolTimeout is an OperationalError
            metrics.lag_read_failures.inc()
        return Response(metrics.render(), media_type=metrics.content_type)

    return app
