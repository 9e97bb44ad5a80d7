"""Stored events are never changed: a trigger refuses UPDATE, DELETE and TRUNCATE on the
events table, for every role, the application's own included."""

from typing import Any

from psycopg import Connection, sql

LOCK_KEY = 7_202_612  # serialises concurrent start-ups installing the trigger

REFUSE_CHANGE = """
CREATE OR REPLACE FUNCTION momentum_refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'stored events are immutable: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def protect_events_table(conn: Connection[Any], table: str) -> None:
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        conn.execute(REFUSE_CHANGE)
        for name, timing in ((f"{table}_immutable_rows", "UPDATE OR DELETE"), (f"{table}_immutable", "TRUNCATE")):
            level = "ROW" if "DELETE" in timing else "STATEMENT"
            conn.execute(sql.SQL("DROP TRIGGER IF EXISTS {} ON {}").format(sql.Identifier(name), sql.Identifier(table)))
            conn.execute(
                sql.SQL("CREATE TRIGGER {} BEFORE {} ON {} FOR EACH {} EXECUTE FUNCTION momentum_refuse_event_change()")
                .format(sql.Identifier(name), sql.SQL(timing), sql.Identifier(table), sql.SQL(level))
            )
