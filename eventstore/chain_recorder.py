"""The event store's recorder, extended to write each event's chain link in the same
transaction as the event (table `<app>_event_chain`, keyed like the events table).

The application computes the events' digests (it holds the decoded events) and passes them
to `save(..., digests=[...])`. One statement stores them, in one round trip: a plpgsql
function (`<app>_events_append`) that takes the library's table lock, notifies, inserts the
events and links each digest to the previous link of its aggregate, all in the statement's own
transaction. A racing writer of the same aggregate version collides on the events table's
primary key (the library's IntegrityError, a retry), and nothing of its transaction stays."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg.sql import SQL, Composed, Identifier, Literal

from contracts.chain import GENESIS

# The library's own insert, in one statement: the EXCLUSIVE table lock (held until COMMIT, so
# notification ids commit in order and a relay tailing them never skips one), NOTIFY, the events
# (ids returned in the order given), then each link, SHA-256(previous link + digest) as
# contracts/chain.py computes it, the previous link read after the batch's earlier rows went in.
APPEND = """
CREATE OR REPLACE FUNCTION {schema}.{function}(
    ids uuid[], versions bigint[], topics text[], states bytea[], digests text[]
) RETURNS SETOF bigint LANGUAGE plpgsql AS $body$
DECLARE
    previous text;
BEGIN
    PERFORM set_config('lock_timeout', {lock_timeout}, true);
    LOCK TABLE {events} IN EXCLUSIVE MODE;
    NOTIFY {channel};
    RETURN QUERY INSERT INTO {events} (originator_id, originator_version, topic, state)
        SELECT * FROM unnest(ids, versions, topics, states) RETURNING notification_id;
    FOR i IN 1 .. cardinality(ids) LOOP
        SELECT c.link INTO previous FROM {chain} c
            WHERE c.originator_id = ids[i] AND c.originator_version = versions[i] - 1;
        INSERT INTO {chain} (originator_id, originator_version, digest, link) VALUES (
            ids[i], versions[i], digests[i],
            encode(sha256(convert_to(coalesce(previous, {genesis}) || digests[i], 'UTF8')), 'hex'));
    END LOOP;
END
$body$"""


class ChainedRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.chain_table_name = events_table_name.removesuffix("_events") + "_event_chain"
        schema = Identifier(self.datastore.schema)
        chain = SQL("{schema}.{table}").format(schema=schema, table=Identifier(self.chain_table_name))
        self.chain_table = chain
        function = Identifier(f"{events_table_name}_append")
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {chain} ("
                "originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
                "digest text NOT NULL, link text NOT NULL, "
                "PRIMARY KEY (originator_id, originator_version))"
            ).format(chain=chain)
        )
        self.sql_create_statements.append(SQL(APPEND).format(
            schema=schema, function=function, chain=chain, channel=Identifier(self.channel_name),
            events=SQL("{schema}.{table}").format(schema=schema, table=Identifier(self.events_table_name)),
            lock_timeout=Literal(f"{self.datastore.lock_timeout}s"), genesis=Literal(GENESIS),
        ))
        self.select_statements: dict[tuple[bool, bool, bool, bool], bytes] = {}
        self.append_statement = SQL("SELECT n FROM {schema}.{function}(%s, %s, %s, %s, %s) AS n").format(
            schema=schema, function=function
        )

    # The recorder's public insert, replaced whole: the library's runs five statements and a
    # COMMIT over several round trips while it holds the table lock (see docs/performance.md).
    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if not stored_events:
            return None
        digests: Sequence[str] | None = kwargs.get("digests")
        if digests is None or len(digests) != len(stored_events):
            raise ProgrammingError("events must be saved with one digest each (see contracts/chain.py)")
        columns = (
            [e.originator_id for e in stored_events],
            [e.originator_version for e in stored_events],
            [e.topic for e in stored_events],
            [bytes(e.state) for e in stored_events],
            list(digests),
        )
        with self.datastore.get_connection() as conn, conn.cursor() as curs:  # autocommit: one transaction
            curs.execute(self.append_statement, columns, prepare=True)
            return [row["n"] for row in curs.fetchall()]

    # The library's select, but each of its statement's forms composed once, not on every read.
    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_events(
        self, originator_id: UUID | str, *, gt: int | None = None, lte: int | None = None, desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        form = (gt is not None, lte is not None, desc, limit is not None)
        params = [originator_id, *(value for value in (gt, lte, limit) if value is not None)]
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            statement = self.select_statements.get(form)
            if statement is None:
                statement = _select_form(self.select_events_statement, *form).as_bytes(conn)
                self.select_statements[form] = statement
            curs.execute(statement, params, prepare=True)
            return [
                StoredEvent(originator_id=row["originator_id"], originator_version=row["originator_version"],
                            topic=row["topic"], state=bytes(row["state"]))
                for row in curs.fetchall()
            ]


def _select_form(select: Composed, gt: bool, lte: bool, desc: bool, limit: bool) -> Composed:
    """The statement PostgresAggregateRecorder.select_events composes for these arguments."""
    statement = select + SQL(" AND originator_version > %s") if gt else select
    if lte:
        statement += SQL(" AND originator_version <= %s")
    statement += SQL(" ORDER BY originator_version") + SQL(" DESC" if desc else " ASC")
    return statement + SQL(" LIMIT %s") if limit else statement
