"""Request limits outside the GraphQL document: body size and a rate limit per subject.

The rate limit is a token bucket held in memory by each API process: behind a load balancer
with N processes a subject may get up to N times the configured rate."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.middleware import HttpMiddleware
from api.refusals import refusal

MAX_TRACKED_SUBJECTS = 100_000


class RateLimited(Exception):
    code = "RATE_LIMITED"

    def __init__(self, retry_after: float) -> None:
        super().__init__("too many requests, slow down")
        self.message = "too many requests, slow down"
        self.retry_after = retry_after


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """`rate` requests per second on average, bursts of up to `burst`, per subject."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self.buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, subject: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        bucket = self.buckets.pop(subject, None) or _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        self.buckets[subject] = bucket  # most recently used last; the oldest are forgotten
        while len(self.buckets) > MAX_TRACKED_SUBJECTS:
            self.buckets.popitem(last=False)
        if bucket.tokens < 1:
            raise RateLimited(retry_after=(1 - bucket.tokens) / self.rate)
        bucket.tokens -= 1


class BodySizeLimit(HttpMiddleware):
    """Refuses an HTTP request whose body exceeds `max_bytes` with 413 and a GraphQL-shaped
    error, whether the size is declared in Content-Length or only found while reading."""

    def __init__(self, app: ASGIApp, max_bytes: int, on_refuse: Callable[[str], None] | None = None) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes
        self.on_refuse = on_refuse

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
        whole: Message = {"type": "http.request", "body": bytes(body), "more_body": False}
        await self.app(scope, _replay([whole], then=receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"the request body exceeds {self.max_bytes} bytes"
        await refusal(413, message, "VALIDATION", on_code=self.on_refuse)(scope, receive, send)


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    async def receive() -> Message:
        if messages:
            return messages.pop(0)
        if then is None:
            return {"type": "http.disconnect"}
        return await then()

    return receive
