"""What a projection is given: envelopes (decoded and upcast by the caller) with their sealed
private fields opened with the keys that still exist (redacted for erased people)."""

from __future__ import annotations

from typing import Any

import psycopg

from contracts.envelope import Envelope
from contracts.privacy import open_envelope, sealed_kids
from eventstore.keys import read_keys


def opened(cur: psycopg.Cursor[Any], envelopes: list[Envelope]) -> list[Envelope]:
    """Decoded and upcast `envelopes`, in their order, with their sealed fields opened. Call it
    inside the transaction that holds the partition locks, so an erasure (which takes them too)
    cannot be undone by a batch opened just before it."""
    kids = [sealed_kids(e) for e in envelopes]
    keys = read_keys(cur, set().union(*kids))
    return [open_envelope(e, keys) if sealed else e for e, sealed in zip(envelopes, kids, strict=True)]
