"""Defence in depth for the folds: a record that cannot be read or folded is parked, with every
later record of its aggregate, and every other aggregate goes on.

A batch is folded at once inside a savepoint. When that fails, the savepoint is rolled back
and the batch is folded again one event at a time, in sequence order, each in its own
savepoint: an event that fails leaves nothing behind, and it and the later events of its
aggregate are parked (projections/quarantine.py) in the same transaction as the partition
positions, so they are parked exactly once and the offsets still advance. `retry` applies
the parked events of an aggregate in order, under the projector's partition locks, and
releases each one in the transaction that applies it: applied exactly once, or still parked."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import psycopg
from kafka.consumer.fetcher import ConsumerRecord
from kafka.errors import KafkaError

from consumers.readable import opened
from consumers.topic import sequence_of
from contracts.envelope import Envelope, decode
from contracts.upcasting import upcast
from domain.errors import ValidationError
from domain.rules import LONE_SURROGATE, valid_text
from projections import notices
from projections import quarantine as table
from projections.quarantine import Parked
from projections.readmodel import Projection

log = logging.getLogger(__name__)
# failures of the connection or the broker, not of an event: the projector's session starts over
NOT_THE_EVENTS_FAULT = (KafkaError, psycopg.OperationalError, psycopg.InterfaceError, TimeoutError, OSError)
MAX_ERROR_CHARS = 2000
UNREADABLE = (ValueError, KeyError, TypeError, AttributeError, RecursionError, ValidationError)


class Received(NamedTuple):
    """A record of the topic, as far as it could be read without trusting it (a tuple: built
    for every record, where a frozen dataclass's __init__ costs several times more)."""

    topic: str
    partition: int
    offset: int
    key: str
    value: bytes
    sequence: int | None

    @classmethod
    def of(cls, topic: str, partition: int, record: ConsumerRecord) -> Received:
        try:
            sequence: int | None = sequence_of(record.headers)
        except ValueError:
            sequence = None
        key = _key_text(record.key) if isinstance(record.key, bytes) else ""
        return cls(topic, partition, record.offset, key, record.value or b"", sequence)

    def parked(self, error: str, envelope: Envelope | None = None) -> Parked:
        subject = self.key if envelope is None else str(envelope["subject"])
        kind = None if envelope is None else holdable(str(envelope.get("type")))
        return Parked(self.topic, self.partition, self.offset, subject, self.sequence, kind, self.value,
                      holdable(error[:MAX_ERROR_CHARS]))


@lru_cache(maxsize=65536)  # an aggregate's records share its key
def _key_text(key: bytes) -> str:
    return holdable(key.decode(errors="replace"))


def holdable(text: str) -> str:
    """`text` as PostgreSQL's text can hold it, NUL and lone surrogates read as U+FFFD: what a
    hostile record puts in a key, a type or an error message must not stop it being parked."""
    return LONE_SURROGATE.sub("\ufffd", text.replace("\x00", "\ufffd"))


def fold_or_park(
    cur: psycopg.Cursor[Any], projections: Sequence[Projection], received: list[Received]
) -> list[Envelope]:
    """Folds what it can of `received` into the read models and parks the rest; returns the
    envelopes applied, in sequence order."""
    if not received:
        return []
    readable, parked = _readable(cur, received)
    stopped = table.parked_aggregates(cur, received[0].topic, {r.key for r in received} | {
        str(e["subject"]) for _, e in readable}) | {p.aggregate_id for p in parked}
    parked += [r.parked("an earlier event of this aggregate is parked", e) for r, e in readable
               if e["subject"] in stopped]
    ready = [(r, e) for r, e in readable if e["subject"] not in stopped]
    try:
        _fold_in_savepoint(cur, projections, [e for _, e in ready])
        applied = [e for _, e in ready]
    except NOT_THE_EVENTS_FAULT:
        raise
    except Exception:  # noqa: BLE001 - not hidden: each failing event is found, logged and parked below
        applied = _fold_one_by_one(cur, projections, ready, parked)
    table.park(cur, parked)
    return applied


def _fold_one_by_one(
    cur: psycopg.Cursor[Any], projections: Sequence[Projection], ready: list[tuple[Received, Envelope]],
    parked: list[Parked],
) -> list[Envelope]:
    applied, stopped = [], set()
    for record, envelope in ready:
        if envelope["subject"] in stopped:
            parked.append(record.parked("an earlier event of this aggregate is parked", envelope))
            continue
        error = _try_fold(cur, projections, envelope)
        if error is None:
            applied.append(envelope)
        else:
            stopped.add(envelope["subject"])
            parked.append(record.parked(error, envelope))
    return applied


def _try_fold(cur: psycopg.Cursor[Any], projections: Sequence[Projection], envelope: Envelope) -> str | None:
    """None if `envelope` was folded, else the error, logged with its traceback."""
    try:
        _fold_in_savepoint(cur, projections, [envelope])
        return None
    except NOT_THE_EVENTS_FAULT:
        raise
    except Exception as error:  # noqa: BLE001 - a fold may fail in any way on an event it cannot apply
        log.exception("cannot fold %s of %s (sequence %s): it stays parked", envelope.get("type"),
                      envelope["subject"], envelope.get("sequence"))
        return f"{type(error).__name__}: {_first_line(error)}"


def _first_line(error: Exception) -> str:
    """PostgreSQL's DETAIL can quote the row, opened private fields included: kept out of the table."""
    text = str(error).strip()
    return text.splitlines()[0] if text else ""


def _fold_in_savepoint(cur: psycopg.Cursor[Any], projections: Sequence[Projection], events: list[Envelope]) -> None:
    if not events:
        return
    with cur.connection.transaction():
        for projection in projections:
            projection.apply(cur, events)


def _readable(
    cur: psycopg.Cursor[Any], received: list[Received]
) -> tuple[list[tuple[Received, Envelope]], list[Parked]]:
    """(record, readable envelope) in sequence order, and the records that cannot be read, parked."""
    decoded: list[tuple[Received, Envelope]] = []
    parked: list[Parked] = []
    for record in received:
        try:
            decoded.append((record, _envelope(record.value)))
        except UNREADABLE as error:
            parked.append(record.parked(f"unreadable record: {type(error).__name__}: {error}"))
    decoded.sort(key=lambda pair: int(pair[1]["sequence"]))
    try:
        return list(zip([r for r, _ in decoded], opened(cur, [e for _, e in decoded]), strict=True)), parked
    except UNREADABLE:
        pass  # one of them cannot be opened: find it
    readable = []
    for record, envelope in decoded:
        try:
            readable.append((record, opened(cur, [envelope])[0]))
        except UNREADABLE as error:
            parked.append(record.parked(f"unreadable record: {type(error).__name__}: {error}", envelope))
    return readable, parked


def _envelope(value: bytes) -> Envelope:
    """The decoded, upcast envelope, if it has what parking and ordering need."""
    envelope = upcast(decode(value))
    if not isinstance(envelope, dict) or not isinstance(envelope.get("subject"), str):
        raise ValueError("the envelope has no subject")
    valid_text(envelope["subject"], "subject")  # it names the aggregate in quarantine queries
    if type(envelope.get("sequence")) is not int or not isinstance(envelope.get("data"), dict):
        raise ValueError("the envelope has no sequence or no data")
    return envelope


@dataclass(frozen=True)
class Retried:
    aggregate_id: str
    applied: int
    still_parked: int
    error: str | None
    sequences: tuple[int, ...] = ()  # of the events applied


def retry(
    conn: psycopg.Connection[Any], projections: Sequence[Projection], topic: str, aggregate_id: str | None = None
) -> list[Retried]:
    """Applies the parked records of each aggregate (or of one) in order, until one fails again."""
    aggregates = sorted({p.aggregate_id for p in table.listed(conn, topic, aggregate_id)})
    return [_retry_aggregate(conn, projections, topic, aggregate) for aggregate in aggregates]


def _retry_aggregate(
    conn: psycopg.Connection[Any], projections: Sequence[Projection], topic: str, aggregate_id: str
) -> Retried:
    with conn.transaction(), conn.cursor() as cur:
        # the projector's batch locks; held, no batch can park or apply this aggregate meanwhile
        cur.execute("SELECT 1 FROM projector_positions WHERE topic = %s ORDER BY partition FOR UPDATE", (topic,))
        waiting = table.listed(cur, topic, aggregate_id)
        applied: list[Envelope] = []
        error = None
        for parked in waiting:
            error = _retry_one(cur, projections, parked, applied)
            if error is not None:
                table.note_error(cur, parked, holdable(error[:MAX_ERROR_CHARS]))
                break
        if applied:
            cur.execute("SELECT pg_notify(%s, %s)", (notices.CHANNEL, notices.payload(topic, applied)))
    return Retried(aggregate_id, len(applied), len(waiting) - len(applied), error,
                   tuple(int(e["sequence"]) for e in applied))


def _retry_one(
    cur: psycopg.Cursor[Any], projections: Sequence[Projection], parked: Parked, applied: list[Envelope]
) -> str | None:
    try:
        envelope = opened(cur, [_envelope(parked.record)])[0]
    except UNREADABLE as error:
        return f"unreadable record: {type(error).__name__}: {error}"
    failure = _try_fold(cur, projections, envelope)
    if failure is None:
        table.release(cur, parked)
        applied.append(envelope)
    return failure
