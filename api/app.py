"""The FastAPI application: GraphQL at /graphql, liveness and readiness probes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from strawberry.fastapi import GraphQLRouter

from api.auth import TokenVerifier, Unauthenticated
from api.context import CONSISTENCY_HEADER, Context, Services
from api.schema import build_schema
from application.identity import Actor
from domain.errors import ValidationError

ANONYMOUS = Actor(id="anonymous")


def create_app(services: Services, verifier: TokenVerifier) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await services.pool.open()
        try:
            yield
        finally:
            await services.pool.close()

    async def context_getter(request: Request) -> Context:
        if _wants_graphiql(request):
            return Context(services, ANONYMOUS, None)
        actor = verifier.actor_from_header(request.headers.get("authorization"))
        return Context(services, actor, _consistency(request.headers.get(CONSISTENCY_HEADER)))

    app = FastAPI(title="Momentum", lifespan=lifespan)
    app.include_router(
        GraphQLRouter(build_schema(), context_getter=context_getter, graphql_ide="graphiql"),
        prefix="/graphql",
    )

    @app.exception_handler(Unauthenticated)
    async def unauthenticated(_: Request, error: Unauthenticated) -> JSONResponse:
        return _graphql_error(401, error.message, error.code)

    @app.exception_handler(ValidationError)
    async def invalid_header(_: Request, error: ValidationError) -> JSONResponse:
        return _graphql_error(400, error.message, error.code)

    @app.exception_handler(UnicodeDecodeError)
    async def undecodable_body(_: Request, error: UnicodeDecodeError) -> JSONResponse:
        return _graphql_error(400, "the request body is not valid UTF-8", "VALIDATION")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        try:
            async with services.pool.connection(timeout=2) as conn:
                await conn.execute("SELECT 1")
        except Exception as error:  # any failure to reach the database means not ready
            return JSONResponse({"status": "unavailable", "reason": type(error).__name__}, 503)
        return JSONResponse({"status": "ready"})

    return app


def _wants_graphiql(request: Request) -> bool:
    return request.method == "GET" and "text/html" in request.headers.get("accept", "")


def _consistency(header: str | None) -> int | None:
    if header is None:
        return None
    if not header.strip().isdigit():
        raise ValidationError(f"{CONSISTENCY_HEADER} must be a sequence number", field=CONSISTENCY_HEADER)
    return int(header)


def _graphql_error(status: int, message: str, code: str) -> JSONResponse:
    return JSONResponse({"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}, status)
