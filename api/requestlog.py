"""Structured JSON logs carrying a request id, and the per-request middleware that sets it,
echoes it in `X-Request-Id` and records the request's latency."""

from __future__ import annotations

import json
import logging
import random
import re
import time
from contextvars import ContextVar
from datetime import UTC, datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics import Metrics

REQUEST_ID_HEADER = "x-request-id"
ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
log = logging.getLogger("momentum.access")


def new_request_id() -> str:
    """32 random hex digits, as `uuid4().hex`, but not from `os.urandom`: a request id is for
    finding a request in the logs, not a secret, and `os.urandom` lets go of the interpreter lock,
    which the event loop then waited for behind the command threads (py-spy of the served API
    under 32 writers: a fifth of the loop thread's samples in `uuid4`)."""
    return f"{random.getrandbits(128):032x}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and extra fields."""

    FIELDS = ("method", "path", "status", "duration_ms", "subject", "code")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,  # which API worker, when several serve one port
        }
        rid = request_id.get()
        if rid is not None:
            entry["request_id"] = rid
        entry.update({k: getattr(record, k) for k in self.FIELDS if hasattr(record, k)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def use_json_logs() -> None:
    """Every handler of the root logger writes JSON lines."""
    for handler in logging.getLogger().handlers:
        handler.setFormatter(JsonFormatter())


class RequestObserver:
    """Outermost middleware: request id, latency histogram, one access log line per request."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        rid = given if ACCEPTED_ID.match(given) else new_request_id()
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (REQUEST_ID_HEADER.encode(), rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = _route(scope)
            if scope["type"] == "http":
                self.metrics.latency.labels(route=route, method=scope["method"]).observe(elapsed)
            log.info(
                "%s %s", scope.get("method", "WEBSOCKET"), route,
                extra={"method": scope.get("method", "WEBSOCKET"), "path": route, "status": status,
                       "duration_ms": round(elapsed * 1000, 2)},
            )
            request_id.reset(token)


def _route(scope: Scope) -> str:
    """The matched route's template (`/audit/goals/{goal_id}`; a router mounted at a prefix with
    an empty path gives the request's path), so labels stay few: unknown paths share one."""
    if "route" not in scope:
        return "unmatched"
    return str(getattr(scope["route"], "path", "") or scope["path"])
