"""Creates every read-model table, once, even when several processes start together."""

from typing import Any

from psycopg import Connection

from projections import directory_store, feedback_store, goal_store, heartbeats, positions, quarantine, timeline_store
from projections.gamification import store as gamification_store

READ_MODEL_DDL = (
    positions.DDL, goal_store.DDL, directory_store.DDL, timeline_store.DDL, feedback_store.DDL, gamification_store.DDL,
    quarantine.DDL, heartbeats.DDL,
)
LOCK_KEY = 7_202_611  # any constant shared by every Momentum process


def create_read_models(conn: Connection[Any]) -> None:
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        for ddl in READ_MODEL_DDL:
            conn.execute(ddl)  # type: ignore[arg-type]
