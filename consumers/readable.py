"""What a projection is given: each record decoded, upcast to its type's current version, and its
sealed private fields opened with the keys that still exist (redacted for erased people)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg

from application.envelope import decode
from application.keys import read_keys
from application.privacy import open_envelope, sealed_kids
from application.upcasting import upcast

Envelope = dict[str, Any]


def readable_events(cur: psycopg.Cursor[Any], values: Iterable[bytes]) -> list[Envelope]:
    """In sequence order. Call it inside the transaction that holds the partition locks, so an
    erasure (which takes them too) cannot be undone by a batch opened just before it."""
    return opened(cur, [decode(value) for value in values])


def opened(cur: psycopg.Cursor[Any], envelopes: Iterable[Envelope]) -> list[Envelope]:
    """`envelopes` upcast, in sequence order, their sealed fields opened with the keys `cur` sees."""
    events = sorted((upcast(e) for e in envelopes), key=lambda e: e["sequence"])
    keys = read_keys(cur, set().union(*(sealed_kids(e) for e in events)))
    return [open_envelope(e, keys) for e in events]
