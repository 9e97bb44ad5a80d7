"""The tamper-evident hash chain. Pure: no I/O.

Each event's *digest* is the SHA-256 of a canonical JSON of its public envelope content
(id, type, subject, time, data, aggregateversion, actor): the same bytes whether the event is
read from the event store or from the Kafka topic. An event's *link* is
SHA-256(previous link of the same aggregate + digest); an aggregate's first event chains to
GENESIS. A checkpoint's *root* is the SHA-256 over every aggregate's head link."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

GENESIS = "0" * 64
CONTENT_FIELDS = ("id", "type", "subject", "time", "data", "aggregateversion", "actor")


def canonical(envelope: Mapping[str, Any]) -> bytes:
    content = {name: envelope.get(name) for name in CONTENT_FIELDS}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(envelope: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(envelope)).hexdigest()


def link(previous: str, event_digest: str) -> str:
    return hashlib.sha256(f"{previous}{event_digest}".encode()).hexdigest()


def root(heads: Iterable[tuple[str, str]]) -> str:
    """Order-independent: (aggregate id, head link) pairs are sorted before hashing."""
    text = "".join(f"{aggregate}:{head}\n" for aggregate, head in sorted(heads))
    return hashlib.sha256(text.encode()).hexdigest()
