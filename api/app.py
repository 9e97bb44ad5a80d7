"""The FastAPI application: GraphQL at /graphql (HTTP and graphql-transport-ws), liveness and
readiness probes, Prometheus metrics; limits and a request id on every request."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.requests import HTTPConnection
from strawberry.exceptions import ConnectionRejectionError
from strawberry.fastapi import GraphQLRouter
from strawberry.types.unset import UNSET, UnsetType

from api.auth import TokenVerifier, Unauthenticated
from api.context import CONSISTENCY_HEADER, Context, Services
from api.errors import UNAVAILABLE_ERRORS
from api.graphiql import GraphiQLPage
from api.headers import add_browser_policies
from api.limits import BodySizeLimit, RateLimited
from api.readiness import readiness
from api.requestlog import RequestObserver
from api.schema import build_schema
from api.schemas import router as event_schemas
from application.identity import Actor
from domain.errors import ValidationError

ANONYMOUS = Actor(id="anonymous")


class MomentumRouter(GraphQLRouter[Context, None]):
    """Websockets authenticate once, at connection_init, with an `Authorization` entry of the
    payload (or the handshake's header); a refused connection is closed with code 4403."""

    def __init__(self, services: Services, verifier: TokenVerifier, **options: Any) -> None:
        super().__init__(**options)
        self.services = services
        self.verifier = verifier

    async def on_ws_connect(self, context: Context) -> UnsetType:
        params = context.connection_params or {}
        authorization = params.get("Authorization") or params.get("authorization")
        if authorization is None and context.request is not None:
            authorization = context.request.headers.get("authorization")
        try:
            context.session = await self.verifier.session_from_header(authorization)
            context.actor = context.session.actor
            if self.services.limiter is not None:
                self.services.limiter.take(context.actor.id)
        except (Unauthenticated, RateLimited) as error:
            self.services.metrics.error(error.code)
            raise ConnectionRejectionError({"code": error.code, "message": error.message}) from None
        return UNSET


def create_app(services: Services, verifier: TokenVerifier) -> FastAPI:
    settings, metrics = services.settings, services.metrics

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await services.pool.open()
        if services.changes is not None:
            await services.changes.start()
        try:
            yield
        finally:
            if services.changes is not None:
                await services.changes.stop()
            await services.pool.close()

    async def context_getter(connection: HTTPConnection) -> Context:
        if connection.scope["type"] == "websocket" or _wants_graphiql(connection):
            return Context(services, ANONYMOUS, None)  # a websocket authenticates in on_ws_connect
        actor = (await verifier.session_from_header(connection.headers.get("authorization"))).actor
        if services.limiter is not None:
            services.limiter.take(actor.id)
        return Context(services, actor, _consistency(connection.headers.get(CONSISTENCY_HEADER)))

    app = FastAPI(title="Momentum", lifespan=lifespan)
    graphiql = GraphiQLPage(settings.graphiql_assets)
    app.include_router(
        graphiql.installed_on(MomentumRouter(
            services,
            verifier,
            schema=build_schema(settings, on_error_code=metrics.error),
            context_getter=context_getter,
            graphql_ide="graphiql",
            max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
            allowed_origins=settings.cors_origin_list,
        )),
        prefix="/graphql",
    )
    app.include_router(graphiql.assets_router())
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, on_refuse=metrics.error)
    app.add_middleware(RequestObserver, metrics=metrics)
    add_browser_policies(app, settings, graphiql.html)
    app.include_router(event_schemas)

    @app.exception_handler(Unauthenticated)
    async def unauthenticated(_: Request, error: Unauthenticated) -> JSONResponse:
        return _graphql_error(metrics.error, 401, error.message, error.code)

    @app.exception_handler(RateLimited)
    async def rate_limited(_: Request, error: RateLimited) -> JSONResponse:
        response = _graphql_error(metrics.error, 429, error.message, error.code)
        response.headers["Retry-After"] = str(max(1, round(error.retry_after)))
        return response

    @app.exception_handler(ValidationError)
    async def invalid_header(_: Request, error: ValidationError) -> JSONResponse:
        return _graphql_error(metrics.error, 400, error.message, error.code)

    @app.exception_handler(UnicodeDecodeError)
    async def undecodable_body(_: Request, error: UnicodeDecodeError) -> JSONResponse:
        return _graphql_error(metrics.error, 400, "the request body is not valid UTF-8", "VALIDATION")

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


def _wants_graphiql(connection: HTTPConnection) -> bool:
    return connection.scope.get("method") == "GET" and "text/html" in connection.headers.get("accept", "")


def _consistency(header: str | None) -> int | None:
    if header is None:
        return None
    if not header.strip().isdigit():
        raise ValidationError(f"{CONSISTENCY_HEADER} must be a sequence number", field=CONSISTENCY_HEADER)
    return int(header)


def _graphql_error(count: Any, status: int, message: str, code: str) -> JSONResponse:
    count(code)
    return JSONResponse({"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}, status)
