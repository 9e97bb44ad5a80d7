"""How far the read models have got, watched once per API process for every request that waits
for read-your-writes: one positions query per projector notice (or per backstop interval, as a
notice may be missed), however many requests wait.

The watching runs on a thread with a connection of its own, which hears the projector's notices
itself: a busy event loop heard a notice, woke the watcher, took a pooled connection and read
its answer in as many turns of its queue, each behind the requests' work. Now the loop is asked
once, when the answer is there, to release the requests it lets through."""

from __future__ import annotations

import asyncio
import logging
import select
import socket
import threading
from contextlib import suppress
from typing import Any

import psycopg
from psycopg import sql
from psycopg_pool import AsyncConnectionPool

from api.errors import Unavailable
from projections import notices, positions

log = logging.getLogger(__name__)
BACKSTOP_S = 0.05
IDLE_S = 10.0  # the watcher's thread ends (and closes its connection) once nobody has waited this long


class ReadModelsReached:
    def __init__(self, pool: AsyncConnectionPool[Any], topic: str, partitions: int, database_url: str) -> None:
        self.pool = pool
        self.database_url = database_url  # the watcher's own connection
        self.topic = topic
        self.partitions = partitions
        self.reached = 0  # as of the last look
        self.waiters: dict[asyncio.Future[int], int] = {}  # each waiting request → the sequence it wants
        self.watcher: _Watcher | None = None

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
        if self.watcher is None or not self.watcher.ask(loop):
            self.watcher = _Watcher(self, loop)
            self.watcher.start()
        try:
            return await asyncio.wait_for(done, timeout_s)
        except TimeoutError:
            raise Unavailable(f"read models have reached sequence {self.reached}, not yet {wanted}") from None
        finally:
            self.waiters.pop(done, None)

    def release(self, reached: int) -> None:
        """On the loop: every request waiting for at most `reached` goes on."""
        self.reached = max(self.reached, reached)
        for done, wanted in list(self.waiters.items()):
            if wanted <= self.reached and not done.done():
                done.set_result(self.reached)

    async def _look(self) -> int:
        async with self.pool.connection() as conn:
            self.reached = max(self.reached, await positions.reached_sequence(conn, self.topic, self.partitions))
        return self.reached


class _Watcher(threading.Thread):
    """Looks at the positions after each notice, at once when a request starts waiting (the last
    look may be old), and every BACKSTOP_S while anyone waits; hands each look to the loop."""

    def __init__(self, reached: ReadModelsReached, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(name="read-models-reached", daemon=True)
        self.reached, self.loop = reached, loop
        self.lock = threading.Lock()
        self.running = True
        self.woken, self.wake = socket.socketpair()
        self.woken.setblocking(False)

    def ask(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Asks for a look at once; False when this thread has ended (or serves another loop)."""
        with self.lock:
            if not self.running or loop is not self.loop:
                return False
            with suppress(OSError):
                self.wake.send(b"\0")
            return True

    def run(self) -> None:
        backoff = 0.2
        try:
            while self.running and self._wanted():
                try:
                    with psycopg.connect(self.reached.database_url, autocommit=True, connect_timeout=5,
                                         application_name="momentum-read-models-reached") as conn:
                        conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(notices.CHANNEL)))
                        backoff = 0.2
                        self._watch(conn)
                except psycopg.Error as error:  # the waiters time out if this lasts; the next look may succeed
                    log.warning("read models reached: %s; looking again in %.1fs", error, backoff)
                    select.select([self.woken], [], [], backoff)
                    backoff = min(backoff * 2, 5.0)
        finally:
            with self.lock:
                self.running = False
            self.woken.close()
            self.wake.close()

    def _wanted(self) -> bool:
        """Whether anyone waits, or comes to wait within IDLE_S; else this thread ends."""
        while not self.reached.waiters:
            woken = select.select([self.woken], [], [], IDLE_S)[0]
            self._drain()
            if not woken:
                with self.lock:
                    if not self.reached.waiters:
                        self.running = False
                        return False
        return True

    def _watch(self, conn: psycopg.Connection[Any]) -> None:
        while self.running and self._wanted():
            self._drain()
            sequence = positions.reached_sequence_now(conn, self.reached.topic, self.reached.partitions)
            try:
                self.loop.call_soon_threadsafe(self.reached.release, sequence)
            except RuntimeError:  # the loop has closed
                self.running = False
                return
            if _heard(conn) or not self.reached.waiters:  # a notice during the look may be newer than it
                continue
            select.select([conn.fileno(), self.woken.fileno()], [], [], BACKSTOP_S)
            _heard(conn)  # whatever woke it, the next look covers it

    def _drain(self) -> None:
        with suppress(BlockingIOError):
            while self.woken.recv(4096):
                pass


def _heard(conn: psycopg.Connection[Any]) -> int:
    """The notices received (while a statement ran, or since), taken without waiting."""
    return sum(1 for _ in conn.notifies(timeout=0))
