"""The public event envelope (CloudEvents 1.0, structured JSON) that Kafka carries."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import orjson
from eventsourcing.domain import DomainEventProtocol

Envelope = dict[str, Any]  # an envelope as JSON decodes it
EVENT_ID_NAMESPACE = uuid5(NAMESPACE_URL, "urn:momentum:event")
PRIVATE_FIELDS = frozenset({"originator_id", "originator_version", "timestamp", "originator_topic"})


def event_type(event: object) -> str:
    """`momentum.<aggregate>.<Event>.v<version>`, e.g. momentum.goal.CheckInRecorded.v1."""
    aggregate, _, name = type(event).__qualname__.rpartition(".")
    version = getattr(type(event), "class_version", 1)
    return f"momentum.{aggregate.lower()}.{name}.v{version}"


def dataschema(type_: str) -> str:
    """The CloudEvents `dataschema` of a type; its schema is served at GET /schemas/<type>."""
    return f"urn:momentum:schema:{type_}"


def event_id(aggregate_id: UUID, version: int) -> UUID:
    """Stable across republishing, so consumers can deduplicate on it."""
    return uuid5(EVENT_ID_NAMESPACE, f"{aggregate_id}/{version}")


_NAMESPACE_BYTES = EVENT_ID_NAMESPACE.bytes
_VARIANT = "89ab89ab89ab89ab"  # RFC 4122: the top two bits of the 17th hex digit are 10


def event_id_text(aggregate_id: str, version: int) -> str:
    """`str(event_id(...))` without making UUID objects (a fifth of the cost)."""
    h = hashlib.sha1(_NAMESPACE_BYTES + f"{aggregate_id}/{version}".encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[int(h[16], 16)]}{h[17:20]}-{h[20:32]}"


def to_envelope(event: DomainEventProtocol[UUID], sequence: int, source: str) -> dict[str, Any]:
    state = vars(event)
    data = {k: _plain(v) for k, v in state.items() if k not in PRIVATE_FIELDS and k != "actor"}
    type_ = event_type(event)
    return {
        "specversion": "1.0",
        "id": event_id_text(str(event.originator_id), event.originator_version),
        "source": source,
        "type": type_,
        "dataschema": dataschema(type_),
        "subject": str(event.originator_id),
        "time": _plain(state["timestamp"]),
        "datacontenttype": "application/json",
        "data": data,
        "sequence": sequence,
        "aggregateversion": event.originator_version,
        "actor": state.get("actor"),
    }


# compact, UTF-8 as is; one encoder, as `json.dumps` would build for these options on every call
encode_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def encode(envelope: dict[str, Any]) -> bytes:
    return encode_json(envelope).encode()


def decode(value: bytes) -> dict[str, Any]:
    """orjson: a third of json.loads' time (6 against 19 µs for a check-in's envelope). What it
    refuses (NaN, infinities, integers beyond 64 bits, lone surrogates) is decoded by the
    standard library as before: a hostile record is parked knowing its type, subject and
    sequence, and a stored event's state decodes as the transcoder's json.loads decodes it."""
    try:
        decoded: dict[str, Any] = orjson.loads(value)
    except orjson.JSONDecodeError:
        decoded = json.loads(value)
    return decoded


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, UUID):
        return str(value)
    return value
