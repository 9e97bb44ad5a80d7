"""The event store's recorder, extended to write each event's chain link in the same
transaction as the event (table `<app>_event_chain`, keyed like the events table).

The application computes the events' digests (it holds the decoded events) and passes them
to `save(..., digests=[...])`; here, inside the insert transaction, each digest is linked to
the previous link of its aggregate. A racing writer of the same aggregate version collides on
the chain table's primary key as on the events table's, so it rolls back whole."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from contracts.chain import GENESIS, link


class ChainedRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.chain_table_name = events_table_name.removesuffix("_events") + "_event_chain"
        self.chain_table = SQL("{schema}.{table}").format(
            schema=Identifier(self.datastore.schema), table=Identifier(self.chain_table_name)
        )
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {chain} ("
                "originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
                "digest text NOT NULL, link text NOT NULL, "
                "PRIMARY KEY (originator_id, originator_version))"
            ).format(chain=self.chain_table)
        )

    # The library has no public hook inside its insert transaction: its recorders are extended by
    # overriding `_insert_events` (a no-op run before the events, as its searchable-content example
    # does) or `_insert_stored_events`. The links must follow the events (see below), so this one.
    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        # After the events: under the table lock, and a racing writer of the same version fails on
        # the events' primary key first, which the library reports as IntegrityError (a retry).
        super()._insert_stored_events(curs, stored_events, **kwargs)
        with curs.connection.pipeline() as pipeline:
            # Raise a racing writer's conflict here, where the library expects it and resyncs the
            # pipeline, instead of leaving the pipeline aborted under the links' statements.
            pipeline.sync()
        digests: Sequence[str] | None = kwargs.get("digests")
        if not stored_events:
            return
        if digests is None or len(digests) != len(stored_events):
            raise ProgrammingError("events must be saved with one digest each (see contracts/chain.py)")
        with curs.connection.cursor() as chain_curs:  # `curs` still holds the events' notification ids
            self._insert_links(chain_curs, stored_events, digests)

    def _insert_links(self, curs: Cursor[Any], stored_events: Sequence[StoredEvent], digests: Sequence[str]) -> None:
        heads = self._previous_links(curs, stored_events)
        rows = []
        for event, event_digest in zip(stored_events, digests, strict=True):
            key = (str(event.originator_id), event.originator_version - 1)
            current = link(heads.get(key, GENESIS), event_digest)
            heads[(str(event.originator_id), event.originator_version)] = current
            rows.append((event.originator_id, event.originator_version, event_digest, current))
        # prepare=False throughout: a statement psycopg auto-prepares inside a pipeline that a racing
        # writer's conflict aborts stays marked as prepared and fails on the connection's next use.
        curs.execute(
            SQL(
                "INSERT INTO {chain} (originator_id, originator_version, digest, link) "
                "SELECT * FROM unnest(%s::uuid[], %s::bigint[], %s::text[], %s::text[])"
            ).format(chain=self.chain_table),
            [list(column) for column in zip(*rows, strict=True)],
            prepare=False,
        )

    def _previous_links(
        self, curs: Cursor[Any], stored_events: Sequence[StoredEvent]
    ) -> dict[tuple[str, int], str]:
        wanted = [(str(e.originator_id), e.originator_version - 1) for e in stored_events]
        curs.execute(
            SQL("SELECT c.originator_id, c.originator_version, c.link FROM {chain} c "
                "JOIN unnest(%s::uuid[], %s::bigint[]) AS w(id, version) "
                "ON c.originator_id = w.id AND c.originator_version = w.version").format(chain=self.chain_table),
            ([i for i, _ in wanted], [v for _, v in wanted]),
            prepare=False,
        )
        return {(str(r["originator_id"]), int(r["originator_version"])): r["link"] for r in curs.fetchall()}
