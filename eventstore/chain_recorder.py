"""The event store's recorder, extended to write each event's chain link in the same
transaction as the event (table `<app>_event_chain`, keyed like the events table).

The application computes the events' digests (it holds the decoded events) and passes them
to `save(..., digests=[...])`. One statement stores them, in one round trip: a plpgsql
function (`<app>_events_append_entries`) that takes the library's table lock, notifies, inserts
the events and links each digest to the previous link of its aggregate, all in the statement's
own transaction. Saves that arrive while one append runs go together in the next (group
commit): one lock, one commit for all. A racing writer of the same aggregate version collides
on the events table's primary key (the library's IntegrityError, a retry), and nothing of its
save stays; the other saves of its statement are stored."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError, ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg.sql import SQL, Composed, Identifier, Literal

from contracts.chain import GENESIS

# The library's own insert, in one statement, for the saves of several commands at once (each
# an entry): the EXCLUSIVE table lock (held until COMMIT, so notification ids commit in order and
# a relay tailing them never skips one), NOTIFY, then each entry's events (their ids in the order
# given) and links, SHA-256(previous link + digest) as contracts/chain.py computes it, the
# previous link read after the earlier rows went in. An entry that collides with a stored version
# is rolled back alone (its savepoint) and answered with a NULL id; the others commit together.
APPEND = """
CREATE OR REPLACE FUNCTION {schema}.{function}(
    entries int[], ids uuid[], versions bigint[], topics text[], states bytea[], digests text[]
) RETURNS TABLE (entry int, n bigint) LANGUAGE plpgsql AS $body$
DECLARE
    previous text;
    first int := 1;
    last int;
    stored bigint[];
BEGIN
    PERFORM set_config('lock_timeout', {lock_timeout}, true);
    LOCK TABLE {events} IN EXCLUSIVE MODE;
    NOTIFY {channel};
    WHILE first <= cardinality(ids) LOOP
        last := first;
        WHILE last < cardinality(ids) AND entries[last + 1] = entries[first] LOOP
            last := last + 1;
        END LOOP;
        BEGIN
            WITH written AS (
                INSERT INTO {events} (originator_id, originator_version, topic, state)
                SELECT * FROM unnest(ids[first:last], versions[first:last], topics[first:last], states[first:last])
                RETURNING notification_id
            ) SELECT array_agg(w.notification_id ORDER BY w.notification_id) INTO stored FROM written w;
            FOR i IN first .. last LOOP
                SELECT c.link INTO previous FROM {chain} c
                    WHERE c.originator_id = ids[i] AND c.originator_version = versions[i] - 1;
                INSERT INTO {chain} (originator_id, originator_version, digest, link) VALUES (
                    ids[i], versions[i], digests[i],
                    encode(sha256(convert_to(coalesce(previous, {genesis}) || digests[i], 'UTF8')), 'hex'));
            END LOOP;
            RETURN QUERY SELECT entries[first], unnest(stored);
        EXCEPTION WHEN unique_violation THEN
            RETURN QUERY SELECT entries[first], NULL::bigint;
        END;
        first := last + 1;
    END LOOP;
END
$body$"""


@dataclass
class Entry:
    """One save's events waiting for an append, and what it answered: their ids, or the error."""

    events: Sequence[StoredEvent]
    digests: Sequence[str]
    outcome: list[int] | BaseException | None = field(default=None)


class ChainedRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.chain_table_name = events_table_name.removesuffix("_events") + "_event_chain"
        schema = Identifier(self.datastore.schema)
        chain = SQL("{schema}.{table}").format(schema=schema, table=Identifier(self.chain_table_name))
        self.chain_table = chain
        function = Identifier(f"{events_table_name}_append_entries")
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
        # %b: the arrays sent in binary, cheaper to dump than their text form
        self.append_statement = SQL(
            "SELECT entry, n FROM {schema}.{function}(%b::int[], %b, %b, %b, %b, %b)"
        ).format(schema=schema, function=function)
        self.turns = threading.Condition()  # the saves waiting for the next append, and whether one runs
        self.waiting: list[Entry] = []
        self.appending = False

    # The recorder's public insert, replaced whole: the library's runs five statements and a
    # COMMIT over several round trips while it holds the table lock (see docs/performance.md).
    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """Group commit: the saves that arrive while an append runs wait for it to end, then go
        together in the next one, so N concurrent commands hold the table lock, commit and fsync
        once rather than N times. Each save still succeeds or fails alone."""
        if not stored_events:
            return None
        digests: Sequence[str] | None = kwargs.get("digests")
        if digests is None or len(digests) != len(stored_events):
            raise ProgrammingError("events must be saved with one digest each (see contracts/chain.py)")
        entry = Entry(stored_events, digests)
        group: list[Entry] = []
        with self.turns:
            self.waiting.append(entry)
            while self.appending and entry.outcome is None:
                self.turns.wait()
            if entry.outcome is None:
                group, self.waiting, self.appending = self.waiting, [], True
        if group:
            self._append_group(group)
        assert entry.outcome is not None
        if isinstance(entry.outcome, BaseException):
            raise entry.outcome
        return entry.outcome

    def _append_group(self, group: list[Entry]) -> None:
        outcomes: list[list[int] | BaseException]
        try:
            outcomes = self.append_entries(group)
        except BaseException as error:  # not hidden: every save of the group raises it
            outcomes = [error] * len(group)
        with self.turns:
            for entry, outcome in zip(group, outcomes, strict=True):
                entry.outcome = outcome
            self.appending = False
            self.turns.notify_all()

    def append_entries(self, entries: Sequence[Entry]) -> list[list[int] | BaseException]:
        """One statement, one transaction: each entry's notification ids, or the IntegrityError
        of an entry that collided with a stored version (the others are stored)."""
        events = [(number, event, digest) for number, entry in enumerate(entries)
                  for event, digest in zip(entry.events, entry.digests, strict=True)]
        columns = (
            [number for number, _, _ in events],
            [e.originator_id for _, e, _ in events],
            [e.originator_version for _, e, _ in events],
            [e.topic for _, e, _ in events],
            [bytes(e.state) for _, e, _ in events],
            [digest for _, _, digest in events],
        )
        with self.datastore.get_connection() as conn, conn.cursor() as curs:  # autocommit: one transaction
            curs.execute(self.append_statement, columns, prepare=True)
            rows = curs.fetchall()
        ids: list[list[int]] = [[] for _ in entries]
        for row in rows:
            ids[row["entry"]].append(row["n"])
        return [IntegrityError(f"entry {number}: a version is already stored") if None in found else found
                for number, found in enumerate(ids)]

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
