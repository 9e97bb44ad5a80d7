"""GraphQL at /graphql over HTTP and graphql-transport-ws, every request through api.gate.

HTTP: a body must be a JSON object sent as application/json; every refusal is a JSON body with
`errors[0].extensions.code` (api.refusals). Websocket: each frame must be a well-formed
graphql-transport-ws message, or the socket is closed with a code of docs/graphql.md; each
operation is admitted again (token unexpired, one token of the rate limit) before it starts."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, cast

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException, StarletteRequestAdapter
from fastapi.routing import APIRoute
from starlette.background import BackgroundTasks
from starlette.exceptions import HTTPException as RoutingRefusal
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.routing import request_response
from starlette.types import Receive, Scope, Send
from strawberry.exceptions import ConnectionRejectionError
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_transport_ws.types import Message
from strawberry.types.unset import UNSET, UnsetType

from api.auth import Unauthenticated
from api.context import CONSISTENCY_HEADER, Context, Services
from api.gate import Gate
from api.limits import RateLimited
from api.refusals import refusal, refusal_body
from domain.errors import ValidationError

MAX_OPERATION_ID = 128  # characters of a websocket operation's id
SEQUENCE = re.compile(r"[0-9]{1,18}")  # ASCII digits only, and within PostgreSQL's bigint
OPTIONAL_FIELDS = {"variables": dict, "extensions": dict, "operationName": str}
ALLOWED_METHODS = ("GET", "POST")
SUB_RESPONSE = "momentum.sub_response"  # the request's own sub-response, in its ASGI scope


class GatedTransportWS(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws with every frame checked and every operation admitted again."""

    async def handle_message(self, message: Message) -> None:
        problem = malformed(message)
        if problem is not None:
            await self.handle_invalid_message(problem)  # closes with 4400
            return
        await super().handle_message(message)

    async def handle_subscribe(self, message: Any) -> None:
        if self.connection_acknowledged:
            assert self.context.session is not None  # set by on_ws_connect before the ack
            try:
                cast(MomentumRouter, self.view).gate.readmit(self.context.session)
            except (Unauthenticated, RateLimited) as error:
                await self.refuse(message["id"], error)
                return
        await super().handle_subscribe(message)

    async def refuse(self, operation_id: str, error: Unauthenticated | RateLimited) -> None:
        """The operation ends at once with one typed error; nothing of it runs."""
        cast(MomentumRouter, self.view).services.metrics.error(error.code)
        payload = refusal_body(error.message, error.code)
        await self.websocket.send_json({"id": operation_id, "type": "next", "payload": payload})
        await self.websocket.send_json({"id": operation_id, "type": "complete"})


class AnyMethod:
    """A request handler as an ASGI app: its Route then takes every method and the handler
    answers those it refuses (a handler's Route of GET and POST would take HEAD too)."""

    def __init__(self, handler: Callable[[Request], Awaitable[Response]]) -> None:
        self.app = request_response(handler)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


class MomentumRouter(GraphQLRouter[Context, None]):
    """The GraphQL endpoint: only graphql-transport-ws on websockets (the legacy graphql-ws
    protocol has no connection_init timeout: a socket asking for it is closed with 4406)."""

    graphql_transport_ws_handler_class = GatedTransportWS

    def __init__(self, services: Services, gate: Gate, path: str = "/graphql", **options: Any) -> None:
        super().__init__(
            path=path,
            context_getter=self.context_for,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(milliseconds=services.settings.ws_init_wait_ms),
            **options,
        )
        self.services = services
        self.gate = gate
        # GET and POST as plain routes: FastAPI's dependency graph (four solve_dependencies a
        # request) only built the context, which handle_http builds itself
        self.routes = [route for route in self.routes if not isinstance(route, APIRoute)]
        endpoint: Any = AnyMethod(self.handle_http)  # an ASGI app, which Starlette takes though FastAPI's type says not
        self.add_route(path, endpoint, include_in_schema=False)
        self.http_route = self.routes[-1]

    async def handle_http(self, request: Request) -> Response:
        """What strawberry's GET and POST routes did, with the context and the sub-response
        (headers and status a resolver may set) this request's own, never shared with another.
        Other methods are refused here, before the token check, as routing refused them."""
        request.scope.setdefault("route", self.http_route)  # FastAPI names its own routes only: the log's label
        if request.method not in ALLOWED_METHODS:
            raise RoutingRefusal(405, headers={"Allow": ", ".join(ALLOWED_METHODS)})
        sub_response = Response()
        del sub_response.headers["content-length"]
        sub_response.status_code = None  # type: ignore[assignment]  # as FastAPI's: strawberry then answers 200
        request.scope[SUB_RESPONSE] = sub_response
        context = await self.context_for(request)
        tasks = BackgroundTasks()
        context.request, context.response, context.background_tasks = request, sub_response, tasks
        response = cast(Response, await self.run(request, context, None))
        if tasks.tasks and response.background is None:
            response.background = tasks
        return response

    async def get_sub_response(self, request: Request) -> Response:
        return cast(Response, request.scope[SUB_RESPONSE])

    async def context_for(self, connection: HTTPConnection) -> Context:
        """A websocket is admitted at connection_init; GraphiQL's page executes nothing."""
        if connection.scope["type"] == "websocket" or self.serves_graphiql(connection):
            return Context(self.services, None, None)
        session = await self.gate.admit(connection.headers.get("authorization"))
        return Context(self.services, session.actor, consistency(connection.headers.get(CONSISTENCY_HEADER)), session)

    def serves_graphiql(self, connection: HTTPConnection) -> bool:
        """Strawberry's own test (a GET without `query` that accepts HTML), so the two never differ."""
        return self.should_render_graphql_ide(StarletteRequestAdapter(Request(connection.scope)))

    async def on_ws_connect(self, context: Context) -> UnsetType:
        params = context.connection_params or {}
        authorization = params.get("Authorization") or params.get("authorization")
        if authorization is None and context.request is not None:
            authorization = context.request.headers.get("authorization")
        try:
            context.admit(await self.gate.admit(authorization))
        except (Unauthenticated, RateLimited) as error:
            self.services.metrics.error(error.code)
            raise ConnectionRejectionError({"code": error.code, "message": error.message}) from None
        return UNSET

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        try:
            return await super().run(request, context, root_value)
        except HTTPException as error:  # strawberry's own refusals are plain text: give them our shape
            return refusal(error.status_code, error.reason, on_code=self.services.metrics.error)

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData | list[GraphQLRequestData]:
        if request.method == "POST":
            content_type, _ = parse_content_type(request.content_type or "")
            if "application/json" not in content_type:
                raise HTTPException(415, "the request body must be application/json")
            if not (await request.get_body()).lstrip(b" \t\r\n").startswith(b"{"):
                raise HTTPException(400, "the request body must be a JSON object")
        data = await super().parse_http_body(request)
        if isinstance(data, GraphQLRequestData) and not isinstance(data.operation_name, str | None):
            raise HTTPException(400, "operationName must be a string")
        return data

    def encode_json(self, data: object) -> str:
        """orjson (a tenth of json.dumps' time for a page of goals); what it refuses (a lone
        surrogate echoed from an input, an integer beyond 64 bits) is encoded as before. Text,
        not bytes: strawberry sends bytes on a websocket as binary frames, which graphql-ws
        clients refuse ("Message is missing the 'type' property")."""
        try:
            return orjson.dumps(data).decode()
        except orjson.JSONEncodeError:
            return json.dumps(data, separators=(",", ":"))

    def decode_json(self, data: str | bytes) -> object:
        """JSON as the standard defines it (no NaN, no infinities) that Python can hold: nesting
        past the recursion limit, or an integer of more than 4300 digits, is not JSON here."""
        try:
            return json.loads(data, parse_constant=_no_constant, parse_float=_finite)
        except (RecursionError, ValueError) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise json.JSONDecodeError(f"not JSON that can be read: {type(error).__name__}", "", 0) from None


def malformed(message: object) -> str | None:
    """Why a graphql-transport-ws message cannot be handled (None: it can)."""
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        return "a message must be a JSON object with a string `type`"
    if message["type"] not in ("subscribe", "complete"):
        return None  # strawberry checks the rest, and closes on an unknown type
    operation_id = message.get("id")
    if not isinstance(operation_id, str) or not 0 < len(operation_id) <= MAX_OPERATION_ID:
        return f"`id` must be a string of 1 to {MAX_OPERATION_ID} characters"
    if message["type"] == "complete":
        return None
    payload = message.get("payload")
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return "the payload of subscribe must be an object with a string `query`"
    for name, kind in OPTIONAL_FIELDS.items():
        if not isinstance(payload.get(name), kind | None):
            return f"`{name}` must be {'a string' if kind is str else 'an object'} or null"
    return None


def consistency(header: str | None) -> int | None:
    if header is None:
        return None
    text = header.strip()
    if SEQUENCE.fullmatch(text) is None:
        raise ValidationError(f"{CONSISTENCY_HEADER} must be a sequence number", field=CONSISTENCY_HEADER)
    return int(text)


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is too large for a number")
    return number
