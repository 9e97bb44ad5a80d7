"""Creates every read-model table, once, even when several processes start together."""

from collections.abc import Sequence
from typing import Any

from psycopg import Connection

from projections import heartbeats, latencies, measurements, positions, quarantine
from projections.readmodel import ReadModel

LOCK_KEY = 7_202_611  # any constant shared by every Momentum process


def schema_ddl(read_models: Sequence[ReadModel]) -> list[str]:
    """The projector's own tables (positions, quarantine, heartbeats, latencies), every read
    model's, and the measurement consumer's (offsets and dead letters)."""
    return [
        positions.DDL, *(model.ddl for model in read_models), quarantine.DDL, heartbeats.DDL, latencies.DDL,
        measurements.DDL,
    ]


def create_read_models(conn: Connection[Any], read_models: Sequence[ReadModel]) -> None:
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        for ddl in schema_ddl(read_models):
            conn.execute(ddl)  # type: ignore[arg-type]
