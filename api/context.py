"""Per-request context: the verified actor and the services resolvers may use."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from psycopg_pool import AsyncConnectionPool
from strawberry.fastapi import BaseContext

from api.auth import Session, Unauthenticated
from api.changes import ReadModelChanges
from api.errors import Unavailable
from api.limits import RateLimiter
from api.metrics import Metrics
from application.identity import Actor
from application.momentum import Momentum
from projections import positions
from settings import Settings

CONSISTENCY_HEADER = "x-momentum-consistency"


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
        """A websocket's context outlives one delivery: later deliveries must not reuse its loaders."""
        self.cached_reads = None

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
        deadline = time.monotonic() + settings.consistency_wait_ms / 1000
        delay = 0.002
        while True:
            async with self.pool.connection() as conn:
                reached = await positions.reached_sequence(
                    conn, settings.kafka_topic, settings.kafka_partitions
                )
            if reached >= wanted:
                self.reached = reached
                return
            if time.monotonic() >= deadline:
                raise Unavailable(f"read models have reached sequence {reached}, not yet {wanted}")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)
