"""Rebuild read models from offset 0 of the topic into a fresh PostgreSQL schema, then switch
to it atomically, or compare it with the live tables (`momentum projections rebuild|verify`).

The rebuild schema keeps its own `projector_positions`, committed with every batch, so an
interrupted rebuild resumes where it stopped. The switch happens in one transaction that
holds the live projector still (an EXCLUSIVE lock on its positions), applies the few events the
live projector applied meanwhile, and moves the tables: live ones out, rebuilt ones into
`public`. API queries only wait for that transaction; their next statement reads the new tables.
Events a fold cannot apply are parked in the rebuild schema's own quarantine, as the live projector
parks them in its own."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from kafka import KafkaConsumer, TopicPartition
from psycopg.sql import SQL, Identifier

from consumers import kafka_records
from consumers.quarantine import Received, fold_or_park
from projections import positions
from projections.batch import Batched
from projections.readmodel import ReadModel
from projections.schema import schema_ddl
from settings import Settings

LIVE = "public"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TableCheck:
    table: str
    live_rows: int
    live_checksum: str
    rebuilt_rows: int
    rebuilt_checksum: str

    @property
    def equal(self) -> bool:
        return (self.live_rows, self.live_checksum) == (self.rebuilt_rows, self.rebuilt_checksum)


class Rebuild:
    def __init__(self, settings: Settings, read_models: Sequence[ReadModel], name: str | None, purpose: str):
        chosen = [m for m in read_models if name is None or m.name == name]
        if not chosen:
            raise ValueError(f"no projection named {name!r}; known: {sorted(m.name for m in read_models)}")
        self.settings = settings
        self.read_models = read_models
        self.projections = chosen
        self.batched = [Batched(chosen)]
        self.tables = [t for m in chosen for t in m.tables]
        self.schema = f"{purpose}_{name or 'all'}"
        self.topic = settings.kafka_topic

    # --- phases ----------------------------------------------------------------------

    def prepare(self, conn: psycopg.Connection[Any]) -> int:
        """Creates the schema (or finds it) and returns how many events it already holds."""
        with conn.transaction():
            conn.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(self.schema)))
            self._use_schema(conn)
            for ddl in schema_ddl(self.read_models):
                conn.execute(ddl)  # type: ignore[arg-type]
            row = conn.execute("SELECT coalesce(sum(next_offset), 0) FROM projector_positions").fetchone()
        return int(row[0]) if row else 0

    def partitions(self, conn: psycopg.Connection[Any]) -> list[int]:
        """The partitions the live projector has applied: what a catch-up reads."""
        return sorted(self._positions(conn, LIVE))

    def catch_up(self, conn: psycopg.Connection[Any], progress: Progress, max_events: int | None = None,
                 partitions: Collection[int] | None = None) -> bool:
        """Applies the topic (or its `partitions`) up to where the live projector stands now;
        False if stopped early. Catch-ups of disjoint partitions may run at once, in separate
        processes: each locks and moves only its own partitions' positions, and an aggregate's
        events are all in one partition."""
        targets = {p: o for p, o in self._positions(conn, LIVE).items() if partitions is None or p in partitions}
        applied = 0
        with _consumer(self.settings) as consumer:
            starts = self._positions(conn, self.schema)
            total = sum(max(targets[p] - starts.get(p, 0), 0) for p in targets)
            for batch in _read(consumer, self.topic, starts, targets):
                with conn.transaction():
                    conn.execute("SET LOCAL synchronous_commit = off")  # as the projector's: replayed if lost
                    self._use_schema(conn)
                    applied += self._apply(conn, batch)
                progress(applied, total)
                if max_events is not None and applied >= max_events:
                    return False
        progress(applied, applied)  # the total was estimated from offsets, which count transaction markers
        return True

    def finish(self, conn: psycopg.Connection[Any], action: Callable[[psycopg.Connection[Any]], Any]) -> Any:
        """Holds the live projector still, applies what it applied since, then runs `action`."""
        with conn.transaction():
            conn.execute(SQL("LOCK TABLE {}.projector_positions IN EXCLUSIVE MODE").format(Identifier(LIVE)))
            targets = self._positions(conn, LIVE)
            with _consumer(self.settings) as consumer:
                for batch in _read(consumer, self.topic, self._positions(conn, self.schema), targets):
                    self._use_schema(conn)
                    self._apply(conn, batch)
            conn.execute(SQL("SET LOCAL search_path TO {}").format(Identifier(LIVE)))
            return action(conn)

    def switch(self, conn: psycopg.Connection[Any]) -> None:
        retired = f"retired_{self.schema}_{int(time.time())}"
        conn.execute(SQL("CREATE SCHEMA {}").format(Identifier(retired)))
        for table in self.tables:
            conn.execute(SQL("ALTER TABLE {}.{} SET SCHEMA {}").format(Identifier(LIVE), Identifier(table),
                                                                       Identifier(retired)))
            conn.execute(SQL("ALTER TABLE {}.{} SET SCHEMA {}").format(Identifier(self.schema), Identifier(table),
                                                                       Identifier(LIVE)))
        self.drop(conn)
        conn.execute(SQL("DROP SCHEMA {} CASCADE").format(Identifier(retired)))

    def compare(self, conn: psycopg.Connection[Any]) -> list[TableCheck]:
        checks = []
        for table in self.tables:
            live = _checksum(conn, LIVE, table)
            rebuilt = _checksum(conn, self.schema, table)
            checks.append(TableCheck(table, live[0], live[1], rebuilt[0], rebuilt[1]))
        return checks

    def drop(self, conn: psycopg.Connection[Any]) -> None:
        conn.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(self.schema)))

    # --- helpers ---------------------------------------------------------------------

    def _positions(self, conn: psycopg.Connection[Any], schema: str) -> dict[int, int]:
        """Next offset per partition: of the live projector (LIVE) or of this rebuild (self.schema)."""
        return positions.stored_offsets(conn, self.topic, schema=schema)

    def _use_schema(self, conn: psycopg.Connection[Any]) -> None:
        conn.execute(SQL("SET LOCAL search_path TO {}, {}").format(Identifier(self.schema), Identifier(LIVE)))

    def _apply(self, conn: psycopg.Connection[Any], batch: dict[int, tuple[list[Any], int]]) -> int:
        received = {p: [Received.of(self.topic, p, r) for r in records] for p, (records, _) in batch.items()}
        with conn.cursor() as cur:
            stored = positions.lock_partitions(cur, self.topic, sorted(batch))
            fold_or_park(cur, self.batched, [r for records in received.values() for r in records])
            positions.save_partitions(cur, self.topic, {
                p: (next_offset, max([stored[p][1], *(r.sequence or 0 for r in received[p])]))
                for p, (_, next_offset) in batch.items()
            })
        return sum(len(records) for records in received.values())


@contextmanager
def _consumer(settings: Settings) -> Iterator[KafkaConsumer]:
    kafka_records.install()
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, isolation_level="read_committed",
                             enable_auto_commit=False, client_id="momentum-rebuild",
                             max_poll_records=settings.projector_batch_size)
    try:
        yield consumer
    finally:
        consumer.close()


def _read(consumer: KafkaConsumer, topic: str, starts: dict[int, int], targets: dict[int, int]
          ) -> Iterator[dict[int, tuple[list[Any], int]]]:
    """Batches {partition: (records below the target, next offset)} until every target is met."""
    parts = [TopicPartition(topic, p) for p in sorted(targets) if starts.get(p, 0) < targets[p]]
    if not parts:
        return
    consumer.assign(parts)
    for tp in parts:
        consumer.seek(tp, starts.get(tp.partition, 0))
    deadline = time.monotonic() + 600
    while True:
        pending = [tp for tp in parts if consumer.position(tp) < targets[tp.partition]]
        if not pending:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"could not read {topic} up to the live projector's offsets")
        polled = consumer.poll(timeout_ms=500)
        batch = {}
        for tp in parts:
            target = targets[tp.partition]
            records = [r for r in polled.get(tp, []) if r.offset < target]
            batch[tp.partition] = (records, min(consumer.position(tp), target))
        yield batch


def _checksum(conn: psycopg.Connection[Any], schema: str, table: str) -> tuple[int, str]:
    row = conn.execute(SQL("SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') "
                           "FROM {}.{} t").format(Identifier(schema), Identifier(table))).fetchone()
    assert row is not None
    return int(row[0]), str(row[1])
