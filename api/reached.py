"""How far the read models have got, watched once per API process for every request that waits
for read-your-writes: one positions query per projector notice (or per backstop interval, as a
notice may be missed while the API reconnects), however many requests wait."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

from api.errors import Unavailable
from projections import positions
from projections.notices import Notice

log = logging.getLogger(__name__)
BACKSTOP_S = 0.05
IDLE_S = 5.0  # the watcher keeps its connection this long without waiters


class ReadModelsReached:
    def __init__(self, pool: AsyncConnectionPool[Any], topic: str, partitions: int) -> None:
        self.pool = pool
        self.topic = topic
        self.partitions = partitions
        self.reached = 0  # as of the last look
        self.waiters: dict[asyncio.Future[int], int] = {}  # each waiting request → the sequence it wants
        self.moved: asyncio.Event | None = None  # made with the watcher, on the loop that serves the requests
        self.watcher: asyncio.Task[None] | None = None
        # The watcher's own connection: its looks must not queue behind the requests for the pool's.
        self.conn: psycopg.AsyncConnection[Any] | None = None

    def offer(self, notice: Notice) -> None:
        """A projector committed a batch: look again, if anyone waits."""
        if notice.topic == self.topic and self.moved is not None:
            self.moved.set()

    async def wait(self, wanted: int, timeout_s: float) -> int:
        """The sequence reached, once it is at least `wanted`; Unavailable after `timeout_s`."""
        if wanted <= self.reached:
            return self.reached
        if timeout_s <= 0:  # no waiting: one look of its own
            if await self._look() < wanted:
                raise Unavailable(f"read models have reached sequence {self.reached}, not yet {wanted}")
            return self.reached
        loop = asyncio.get_running_loop()
        done: asyncio.Future[int] = loop.create_future()
        self.waiters[done] = wanted
        if self.watcher is None or self.watcher.done() or self.watcher.get_loop() is not loop:
            self.moved = asyncio.Event()
            self.conn = None  # a connection belongs to the loop it was made on
            self.watcher = asyncio.create_task(self._watch(self.moved), name="read-models-reached")
        assert self.moved is not None
        self.moved.set()  # a newcomer has the database asked at once: the last look may be old
        try:
            return await asyncio.wait_for(done, timeout_s)
        except TimeoutError:
            raise Unavailable(f"read models have reached sequence {self.reached}, not yet {wanted}") from None
        finally:
            self.waiters.pop(done, None)

    async def _watch(self, moved: asyncio.Event) -> None:
        try:
            while self.waiters or await self._newcomer(moved):
                with suppress(TimeoutError):
                    await asyncio.wait_for(moved.wait(), BACKSTOP_S)
                moved.clear()
                try:
                    await self._look_own()
                except psycopg.Error as error:  # the waiters time out if this lasts; the next look may succeed
                    log.warning("read models reached: %s", error)
                    await self._forget_own()
                    continue
                for done, wanted in list(self.waiters.items()):
                    if wanted <= self.reached and not done.done():
                        done.set_result(self.reached)
        finally:
            if self.watcher is asyncio.current_task():
                self.watcher = None  # gone before the close awaited below: a newcomer meanwhile starts another
            await self._forget_own()

    async def _newcomer(self, moved: asyncio.Event) -> bool:
        """Whether a request comes to wait within IDLE_S: the watcher and its connection stay for it.
        Notices meanwhile (`offer` sets `moved` too) do not end the stay."""
        loop = asyncio.get_running_loop()
        until = loop.time() + IDLE_S
        while not self.waiters and (left := until - loop.time()) > 0:
            moved.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(moved.wait(), left)
        return bool(self.waiters)

    async def _look_own(self) -> int:
        conninfo, kwargs = self.pool.conninfo, self.pool.kwargs or {}
        if not isinstance(conninfo, str) or not isinstance(kwargs, dict):  # a pool that makes them itself
            return await self._look()
        if self.conn is None or self.conn.closed:
            self.conn = await psycopg.AsyncConnection.connect(conninfo, **kwargs)
            configure = getattr(self.pool, "_configure", None)  # as the pool's own connections are
            if configure is not None:
                await configure(self.conn)
        self.reached = await positions.reached_sequence(self.conn, self.topic, self.partitions)
        return self.reached

    async def _forget_own(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            with suppress(psycopg.Error):
                await conn.close()

    async def _look(self) -> int:
        async with self.pool.connection() as conn:
            self.reached = await positions.reached_sequence(conn, self.topic, self.partitions)
        return self.reached
