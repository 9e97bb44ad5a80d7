"""Per-request context: the verified actor and the services resolvers may use."""

from __future__ import annotations

import asyncio
import time
from contextlib import AbstractAsyncContextManager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from psycopg_pool import AsyncConnectionPool
from strawberry.fastapi import BaseContext

from api.auth import Session, Unauthenticated
from api.changes import ReadModelChanges, Subscriber
from api.errors import Unavailable
from api.limits import RateLimiter
from api.metrics import Metrics
from application.identity import Actor
from application.momentum import Momentum
from projections import positions
from settings import Settings

CONSISTENCY_HEADER = "x-momentum-consistency"


async def _next_notice(notices: Subscriber | None, backstop_s: float) -> None:
    """Until the projector's next notice, or `backstop_s` (a notice may be missed while the API reconnects)."""
    if notices is None:
        await asyncio.sleep(backstop_s)
        return
    with suppress(TimeoutError):
        await asyncio.wait_for(notices.changed(), backstop_s)


@dataclass
class Services:
    settings: Settings
    momentum: Momentum
    pool: AsyncConnectionPool[Any]
    changes: ReadModelChanges | None = None  # subscriptions' one LISTEN connection
    limiter: RateLimiter | None = None
    metrics: Metrics = field(default_factory=Metrics)


class Context(BaseContext):
    def __init__(
        self, services: Services, actor: Actor | None, consistency: int | None, session: Session | None = None
    ) -> None:
        super().__init__()
        self.services = services
        self.admitted = actor  # None: not (yet) through api.gate, as GraphiQL's page or a websocket before init
        self.consistency = consistency
        self.connection_params: dict[str, Any] | None = None  # a websocket's connection_init payload
        self.session = session  # the verified token, whose expiry every operation and delivery checks
        self.reached = 0  # the read models are known to include every sequence up to this one
        self.cached_reads: object = None  # api.loaders.Loaders, built on first use
        self.moment: datetime | None = None  # the operation's now, read once (see now)

    @property
    def actor(self) -> Actor:
        if self.admitted is None:
            raise Unauthenticated("missing bearer token")
        return self.admitted

    def admit(self, session: Session) -> None:
        self.session, self.admitted = session, session.actor

    def require_unexpired_token(self) -> None:
        """Before every operation, and every delivery of a websocket's subscription."""
        if self.admitted is None:
            raise Unauthenticated("missing bearer token")
        if self.session is not None:
            self.session.require_unexpired()

    def forget_cached_reads(self) -> None:
        """A websocket's context outlives one delivery: later deliveries must not reuse its loaders
        (nor its now)."""
        self.cached_reads = None
        self.moment = None

    def now(self) -> datetime:
        """The operation's now (settings.now() read once), so that every field of it, and the
        filter that chose its rows, count from the same moment."""
        if self.moment is None:
            self.moment = self.services.settings.now()
        return self.moment

    def _notices(self, topic: str) -> AbstractAsyncContextManager[Subscriber | None]:
        """The projector's notices while a query waits, so it looks again as soon as a batch commits."""
        changes = self.services.changes
        return nullcontext() if changes is None else changes.subscribe(topic)

    @property
    def momentum(self) -> Momentum:
        return self.services.momentum

    @property
    def pool(self) -> AsyncConnectionPool[Any]:
        return self.services.pool

    async def read_models_reached(self, sequence: int | None) -> None:
        """Read-your-writes: wait, up to a bound, until the read models include `sequence`."""
        wanted = max(sequence or 0, self.consistency or 0)
        if wanted <= self.reached:  # nothing asked, or already seen reached by this request
            return
        settings = self.services.settings
        started = time.monotonic()
        deadline = started + settings.consistency_wait_ms / 1000
        delay = 0.002
        async with self._notices(settings.kafka_topic) as notices:
            while True:
                async with self.pool.connection() as conn:
                    reached = await positions.reached_sequence(
                        conn, settings.kafka_topic, settings.kafka_partitions
                    )
                if reached >= wanted:
                    self.reached = reached
                    self.services.metrics.consistency_wait.observe(time.monotonic() - started)
                    return
                if time.monotonic() >= deadline:
                    raise Unavailable(f"read models have reached sequence {reached}, not yet {wanted}")
                await _next_notice(notices, delay)
                delay = min(delay * 2, 0.05)
