"""`momentum projections rebuild|verify [NAME]`, with a progress bar on standard error, and
`momentum projections quarantine list|retry [AGGREGATE_ID]`."""

from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import psycopg

from consumers.rebuild import Rebuild
from projections.readmodel import ReadModel
from settings import Settings

BAR = 30
INTERRUPTED = 3


class ProgressBar:
    """`[#####-----]  45%  1,200/2,700 events  3,500 events/s  ETA 0:00:04`."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.started = time.monotonic()
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = done / elapsed
        share = min(done / total, 1.0) if total else 1.0
        left = (total - done) / rate if rate and total > done else 0
        filled = int(share * BAR)
        line = (f"{self.label} [{'#' * filled}{'-' * (BAR - filled)}] {share:4.0%}  {done:,}/{total:,} events  "
                f"{rate:,.0f} events/s  ETA {time.strftime('%H:%M:%S', time.gmtime(left))}")
        print(f"\r{line}" if self.tty else line, end="" if self.tty else "\n", file=sys.stderr, flush=True)


def _prepared_projections(settings: Settings) -> list[ReadModel]:
    from bootstrap import prepare_read_models, read_models

    prepare_read_models(settings)
    return read_models()


def rebuild(settings: Settings, name: str | None, max_events: int | None, processes: int = 1) -> int:
    job = Rebuild(settings, _prepared_projections(settings), name, "rebuild")
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        already = job.prepare(conn)
        if already:
            print(f"resuming the rebuild in schema {job.schema} from {already:,} records", file=sys.stderr)
        groups = partition_groups(job.partitions(conn), processes)
        with ProcessPoolExecutor(max(len(groups) - 1, 1), mp_context=get_context("spawn")) as pool:
            others = [pool.submit(_catch_up, settings, name, max_events, group) for group in groups[1:]]
            label = f"rebuild {name or 'all'}" + (f" (partitions {_listed(groups[0])})" if len(groups) > 1 else "")
            caught_up = [job.catch_up(conn, ProgressBar(label), max_events, groups[0] if groups else None)]
            caught_up += [other.result() for other in others]
        if not all(caught_up):
            print(f"\nstopped after {max_events:,} events; run again to resume", file=sys.stderr)
            return INTERRUPTED
        job.finish(conn, job.switch)
    print(f"\nrebuilt and switched: {', '.join(job.tables)}")
    return 0


def partition_groups(partitions: list[int], processes: int) -> list[list[int]]:
    """`partitions` dealt round-robin into at most `processes` non-empty groups."""
    groups = [partitions[i::processes] for i in range(processes)]
    return [g for g in groups if g]


def _catch_up(settings: Settings, name: str | None, max_events: int | None, partitions: list[int]) -> bool:
    """One process's share of a rebuild's catch-up (run in a process of its own)."""
    job = Rebuild(settings, _prepared_projections(settings), name, "rebuild")
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        return job.catch_up(conn, ProgressBar(f"rebuild {name or 'all'} (partitions {_listed(partitions)})"),
                            max_events, partitions)


def _listed(partitions: list[int]) -> str:
    return ",".join(str(p) for p in partitions)


def verify(settings: Settings, name: str | None) -> int:
    job = Rebuild(settings, _prepared_projections(settings), name, "verify")
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        job.prepare(conn)
        job.catch_up(conn, ProgressBar(f"verify {name or 'all'}"))
        checks = job.finish(conn, job.compare)
        with conn.transaction():
            job.drop(conn)
    for check in checks:
        verdict = "equal" if check.equal else "DIFFERENT"
        print(f"{check.table}: {verdict} (live {check.live_rows} rows {check.live_checksum}, "
              f"rebuilt {check.rebuilt_rows} rows {check.rebuilt_checksum})")
    return 0 if all(c.equal for c in checks) else 1


def quarantine(settings: Settings, command: str, aggregate_id: str | None) -> int:
    """`list`: one line per parked event. `retry`: 0 when nothing is left parked, else 1."""
    from consumers.quarantine import retry
    from projections.quarantine import listed

    projections = _prepared_projections(settings)
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        if command == "list":
            for p in listed(conn, settings.kafka_topic, aggregate_id):
                print(f"{p.aggregate_id}  {p.event_type or '?'}  sequence {p.sequence}  partition {p.partition} "
                      f"offset {p.offset}  parked {p.parked_at:%Y-%m-%d %H:%M:%S%z}\n    {p.error}")
            return 0
        outcomes = retry(conn, projections, settings.kafka_topic, aggregate_id)
        _award_retried(settings, conn, [s for o in outcomes for s in o.sequences])
    for outcome in outcomes:
        line = f"{outcome.aggregate_id}: {outcome.applied} applied, {outcome.still_parked} still parked"
        print(line + (f"\n    {outcome.error}" if outcome.error else ""))
    if not outcomes:
        print("nothing is parked" + (f" for {aggregate_id}" if aggregate_id else ""))
    return 1 if any(o.still_parked for o in outcomes) else 0


def _award_retried(settings: Settings, conn: psycopg.Connection, sequences: list[int]) -> None:  # type: ignore[type-arg]
    """The awarder reconciles people as the sequence the read models reached moves past their
    facts; retried events are below it, so their people are reconciled here."""
    if not sequences:
        return
    from bootstrap import build_awarder

    awarder = build_awarder(settings)
    try:
        awarder.award(conn, min(sequences) - 1, max(sequences))
    finally:
        awarder.app.close()
