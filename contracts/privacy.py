"""Crypto-shredding of private event fields: which fields of which event types are private, and
how a field is sealed (AES-256-GCM under its person's data key) or opened. Pure: no I/O.

A private field never travels in clear text: it is sealed before the event is stored, so the
store, the topic and every copy hold only ciphertext. Forgetting the person's key (erasure)
leaves every sealed field unreadable while the stored bytes, and any hash over them, stay put."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ALGORITHM = "A256GCM"
REDACTED = "[erased]"
Data = dict[str, Any]
SEALED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "a private field sealed with AES-256-GCM under the data key of person `kid`",
    "properties": {
        "sealed": {"const": ALGORITHM},
        "kid": {"type": "string", "description": "the person whose key seals it"},
        "nonce": {"type": "string", "contentEncoding": "base64"},
        "ciphertext": {"type": "string", "contentEncoding": "base64"},
    },
    "required": ["sealed", "kid", "nonce", "ciphertext"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class PrivateFields:
    """The fields of one event type to seal, and whose key seals them (None: not private here)."""

    fields: tuple[str, ...]
    key_owner: Callable[[Data], str | None]


REGISTRY: dict[str, PrivateFields] = {}
# aggregate topic → {path in the snapshot state: the entry of its `text_owners` naming the key}
STATE_REGISTRY: dict[str, dict[str, str]] = {}


def register_private(event_type: str, fields: tuple[str, ...], key_owner: Callable[[Data], str | None]) -> None:
    """Mark `fields` of `event_type` (e.g. momentum.feedback.Given.v1) as private; a field may
    be a path into a dict (`changes.title`)."""
    REGISTRY[event_type] = PrivateFields(fields, key_owner)


def register_private_state(aggregate_topic: str, paths: dict[str, str]) -> None:
    """Mark paths of an aggregate's snapshot state as private, each sealed under the key its
    state's `text_owners[entry]` names."""
    STATE_REGISTRY[aggregate_topic] = paths


def value_at(data: Data, path: str) -> Any:
    for name in path.split("."):
        if not isinstance(data, dict) or name not in data:
            return None
        data = data[name]
    return data


def with_value_at(data: Data, path: str, value: Any) -> Data:
    """A copy of `data` with `value` at `path` (the dicts on the way copied, the rest shared)."""
    head, _, rest = path.partition(".")
    return {**data, head: with_value_at(data[head], rest, value) if rest else value}


def private_fields(event_type: str) -> tuple[str, ...]:
    entry = REGISTRY.get(event_type)
    return entry.fields if entry else ()


def is_sealed(value: object) -> bool:
    return isinstance(value, dict) and value.get("sealed") == ALGORITHM and "ciphertext" in value


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def seal(value: Any, key: bytes, kid: str, context: str) -> Data:
    """`context` (aggregate id and field) is authenticated, so a sealed value cannot be moved."""
    nonce = os.urandom(12)
    ciphertext = AESGCM(key).encrypt(nonce, json.dumps(value).encode(), context.encode())
    return {"sealed": ALGORITHM, "kid": kid, "nonce": _b64(nonce), "ciphertext": _b64(ciphertext)}


def open_sealed(sealed: Data, key: bytes | None, context: str) -> Any:
    """The clear value, or REDACTED when the key is gone (the person was erased)."""
    if key is None:
        return REDACTED
    try:
        clear = AESGCM(key).decrypt(base64.b64decode(sealed["nonce"]), base64.b64decode(sealed["ciphertext"]),
                                    context.encode())
    except InvalidTag:
        raise ValueError(f"sealed value for {context} fails authentication") from None
    return json.loads(clear)


def context_of(subject: str, field: str) -> str:
    return f"{subject}/{field}"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def kids_of(data: Data) -> set[str]:
    """The people whose keys sealed fields of `data`, at any depth. A `kid` that cannot name a
    person (not text PostgreSQL can hold) is refused here: as a query parameter it would fail."""
    found: set[str] = set()
    for value in data.values():
        if is_sealed(value):
            found.add(_kid(value))
        elif isinstance(value, dict) and value:
            found |= kids_of(value)
    return found


def _kid(sealed: Data) -> str:
    kid = sealed.get("kid")
    if not isinstance(kid, str) or "\x00" in kid:
        raise ValueError("a sealed field names no valid key")
    kid.encode()  # a lone surrogate raises UnicodeEncodeError, a ValueError
    return kid


def sealed_kids(envelope: Data) -> set[str]:
    return kids_of(envelope["data"])


def open_data(data: Data, subject: str, keys: dict[str, bytes], prefix: str = "") -> Data:
    """`data` (an envelope's data or an event's state) with its sealed fields, at any depth,
    opened or redacted; a nested field's context is its dotted path (`changes.title`)."""
    return {name: _opened(value, subject, keys, prefix + name) for name, value in data.items()}


def _opened(value: Any, subject: str, keys: dict[str, bytes], path: str) -> Any:
    if is_sealed(value):
        return open_sealed(value, keys.get(value["kid"]), context_of(subject, path))
    if isinstance(value, dict) and value:
        return open_data(value, subject, keys, path + ".")
    return value


def open_envelope(envelope: Data, keys: dict[str, bytes]) -> Data:
    """The envelope with its sealed fields opened (or redacted when the key is gone)."""
    if not kids_of(envelope["data"]):
        return envelope
    return {**envelope, "data": open_data(envelope["data"], envelope["subject"], keys)}
