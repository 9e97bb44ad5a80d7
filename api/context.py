"""Per-request context: the verified actor and the services resolvers may use."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from psycopg_pool import AsyncConnectionPool
from strawberry.fastapi import BaseContext

from api.auth import Session, Unauthenticated
from api.changes import ReadModelChanges
from api.limits import RateLimiter
from api.metrics import Metrics
from api.reached import ReadModelsReached
from application.identity import Actor
from application.momentum import Momentum
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
    reached: ReadModelsReached = field(init=False)

    def __post_init__(self) -> None:
        self.reached = ReadModelsReached(self.pool, self.settings.kafka_topic, self.settings.kafka_partitions)


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
        started = time.monotonic()
        self.reached = await self.services.reached.wait(wanted, self.services.settings.consistency_wait_ms / 1000)
        self.services.metrics.consistency_wait.observe(time.monotonic() - started)
