"""Read-model changes for subscriptions: one LISTEN connection per API process, fanned out
to every subscriber. The projector NOTIFYs after each committed batch (projections.notices);
no subscriber ever polls the database. The same connection hears of erasures, and then has the
process forget the aggregates it caches (also after a reconnect: one may have been missed)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any

import psycopg
from psycopg import sql

from projections import notices

log = logging.getLogger(__name__)
EVERYTHING = None  # what a subscriber is told after a reconnect: anything may have changed


class Subscriber:
    """Coalesces notices until the subscriber asks: memory stays bounded however slow it is."""

    def __init__(self, topic: str) -> None:
        self.topic = topic
        self.subjects: set[str] | None = set()
        self.ready = asyncio.Event()

    def offer(self, notice: notices.Notice) -> None:
        if notice.topic != self.topic:
            return
        if notice.subjects is None or self.subjects is None:
            self.subjects = EVERYTHING
        else:
            self.subjects |= notice.subjects
        self.ready.set()

    async def changed(self) -> frozenset[str] | None:
        """The subjects changed since the last call (None: anything), once there are some."""
        await self.ready.wait()
        self.ready.clear()
        subjects, self.subjects = self.subjects, set()
        return None if subjects is None else frozenset(subjects)


class ReadModelChanges:
    def __init__(self, database_url: str, on_erasure: Callable[[], None] = lambda: None,
                 on_notice: Callable[[notices.Notice], None] = lambda notice: None) -> None:
        self.database_url = database_url
        self.on_erasure = on_erasure
        self.on_notice = on_notice
        self.subscribers: set[Subscriber] = set()
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.task = asyncio.create_task(self._listen(), name="read-model-changes")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with suppress(asyncio.CancelledError):
                await self.task

    @asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[Subscriber]:
        subscriber = Subscriber(topic)
        self.subscribers.add(subscriber)
        try:
            yield subscriber
        finally:
            self.subscribers.discard(subscriber)

    def _broadcast(self, notice: notices.Notice) -> None:
        for subscriber in list(self.subscribers):
            subscriber.offer(notice)

    async def _listen(self) -> None:
        backoff = 0.2
        while True:
            try:
                conn: psycopg.AsyncConnection[Any] = await psycopg.AsyncConnection.connect(
                    self.database_url, autocommit=True, connect_timeout=5
                )
                async with conn:
                    for channel in (notices.CHANNEL, notices.ERASURES):
                        await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                    backoff = 0.2
                    self.on_erasure()  # whatever was missed while away
                    for topic in {s.topic for s in self.subscribers}:
                        self._broadcast(notices.Notice(topic, 0, EVERYTHING))
                    async for notify in conn.notifies():
                        if notify.channel == notices.ERASURES:
                            self.on_erasure()
                        else:
                            notice = notices.parse(notify.payload)
                            self._broadcast(notice)
                            self.on_notice(notice)
            except psycopg.Error as error:  # the connection is lost or broken: listen on a new one
                log.warning("read-model changes: %s; listening again in %.1fs", error, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
