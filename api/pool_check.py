"""The API pool's check of a connection before handing it out, without a round trip for one
that nothing happened to while it sat idle."""

from __future__ import annotations

import select
from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool


async def check_if_spoken_to(conn: AsyncConnection[Any]) -> None:
    """Raises if `conn` is dead, so that the pool replaces it. An idle connection's socket has
    nothing to read unless the server spoke since its last result: a backend that was terminated
    or shut down sends its FATAL error and closes, which makes the socket readable (or hung up).
    Only then is the library's check (a round trip) needed to tell whether it still works."""
    if conn.closed or _readable(conn.pgconn.socket):
        await AsyncConnectionPool.check_connection(conn)


def _readable(fd: int) -> bool:
    poll = select.poll()
    poll.register(fd, select.POLLIN | select.POLLPRI)
    return bool(poll.poll(0))
