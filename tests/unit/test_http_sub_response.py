"""Each HTTP request to /graphql answers with its own sub-response (the headers and status its
resolvers set), even while other requests, refused or not, are in flight at the same time."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import httpx
import strawberry
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.auth import Session, TokenVerifier, Unauthenticated, issue_token
from api.context import Services
from api.gate import Gate
from api.refusals import refusal
from api.transport import MomentumRouter
from settings import Settings


@strawberry.type
class Echo:
    @strawberry.field
    async def tag(self, info: strawberry.Info, value: int) -> int:
        info.context.response.headers["x-tag"] = str(value)
        info.context.response.status_code = 200 + value
        await asyncio.sleep(0)
        return value


class SuspendingGate(Gate):
    """Lets other requests run while it admits one, as a JWKS fetch off the event loop does."""

    async def admit(self, authorization: object) -> Session:
        await asyncio.sleep(0)
        return await super().admit(authorization)


def echo_app(settings: Settings) -> FastAPI:
    services = Services(settings=settings, momentum=cast(Any, None), pool=cast(Any, None))
    app = FastAPI()
    app.include_router(MomentumRouter(services, SuspendingGate(TokenVerifier(settings), None),
                                      schema=strawberry.Schema(query=Echo)))

    @app.exception_handler(Unauthenticated)
    async def unauthenticated(_: Request, error: Unauthenticated) -> JSONResponse:
        return refusal(401, error.message, error.code)

    return app


async def concurrent_requests(settings: Settings, count: int) -> list[httpx.Response]:
    token = issue_token(settings, "ada", [])
    transport = httpx.ASGITransport(app=echo_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
        return await asyncio.gather(*(
            http.post("/graphql", json={"query": f"{{ tag(value: {n}) }}"},
                      headers={"authorization": f"Bearer {token}"} if n % 2 == 0 else {})
            for n in range(count)
        ))


def test_concurrent_requests_never_share_response_headers_or_status() -> None:
    responses = asyncio.run(concurrent_requests(Settings(), 8))
    for n, response in enumerate(responses):
        if n % 2:
            assert response.status_code == 401
            assert "x-tag" not in response.headers
        else:
            assert (response.status_code, response.headers.get("x-tag")) == (200 + n, str(n))
            assert response.json() == {"data": {"tag": n}}
