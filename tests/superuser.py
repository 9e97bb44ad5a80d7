"""SQL as the PostgreSQL superuser, over the unix socket: how a tamper test gets past the
event store's own protections (the momentum role may not UPDATE or DELETE events)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import psycopg

from settings import Settings

SOCKET_DIRS = ("/var/run/postgresql", "/run/postgresql")


def socket_dir(port: int) -> str:
    candidates = [*SOCKET_DIRS, f"/var/lib/momentum/pg-{port}"]
    for directory in candidates:
        if Path(directory, f".s.PGSQL.{port}").exists():
            return directory
    raise RuntimeError(f"no PostgreSQL socket for port {port} in {candidates}")


def as_superuser(settings: Settings, sql: str) -> str:
    parts = psycopg.conninfo.conninfo_to_dict(settings.database_url)
    port = int(parts.get("port", 5432))
    result = subprocess.run(
        ["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
         "-h", socket_dir(port), "-p", str(port), "-d", str(parts["dbname"]), "-c", sql],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def alter_stored_event(settings: Settings, aggregate_id: str, version: int, old: str, new: str) -> None:
    """Replace text inside one stored event's JSON state, with the table's triggers off."""
    as_superuser(settings, f"""
        BEGIN;
        ALTER TABLE momentum_events DISABLE TRIGGER USER;
        UPDATE momentum_events
           SET state = convert_to(replace(convert_from(state, 'UTF8'), '{old}', '{new}'), 'UTF8')
         WHERE originator_id = '{aggregate_id}' AND originator_version = {version};
        ALTER TABLE momentum_events ENABLE TRIGGER USER;
        COMMIT;""")
