"""The published record value of a stored event, built from its stored JSON: byte for byte what
`encode(to_envelope(event, ...))` makes of the same event decoded, without making a domain event
(the relay's hot path: decoding through the transcoder's hooks, the envelope dict and the
encoder's options cost more per event than kafka-python's own send).

Only the transcoder's JSON is read here: a stored state whose class version is older than its
class (an upcaster must run) or that holds a transcoded value other than a datetime or a UUID at
its top level, or a number orjson may have read as a float where json.loads reads an integer
(beyond 64 bits), gets None, and the caller builds the envelope from the decoded event."""

from __future__ import annotations

from dataclasses import dataclass
from json.encoder import encode_basestring  # type: ignore[attr-defined]  # what the encoder uses for str
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import DatetimeAsISO, UUIDAsHex
from eventsourcing.utils import resolve_topic

from contracts.envelope import PRIVATE_FIELDS, dataschema, decode, encode_json, event_id_text, event_type

TRANSCODED_MARK = b'"_type_"'
MISREAD_FROM = float(2**63)  # orjson reads an integer beyond 64 bits as a float at least this large
ORJSON_SAME = frozenset({str, int, bool, type(None)})  # top-level values orjson writes as encode_json does
NOT_DATA = PRIVATE_FIELDS | {"actor", "class_version"}


def _time(text: str) -> str:
    # DatetimeAsISO stores datetime.isoformat(), which parsing and formatting again gives back unchanged
    return text.replace("+00:00", "Z")


def _uuid(text: str) -> str:
    return str(UUID(text))


PLAIN = {DatetimeAsISO.name: _time, UUIDAsHex.name: _uuid}


@dataclass(frozen=True)
class _Kind:
    type: str
    class_version: int
    type_and_schema: str  # the envelope's text from `,"type":` to `"dataschema":"…"`


class PublishedValues:
    """Builds record values for one `source`; remembers what it learnt about each stored topic."""

    def __init__(self, source: str) -> None:
        self.head = '{"specversion":"1.0","id":'
        self.source = f',"source":{encode_json(source)}'
        self.kinds: dict[str, _Kind] = {}

    def value(self, topic: str, subject: str, version: int, sequence: int, state: bytes) -> tuple[str, bytes] | None:
        """(type, record value) of the stored event, or None when only its decoded event can say.
        `subject` is the aggregate id as `str(UUID)` writes it."""
        kind = self.kinds.get(topic) or self._learn(topic)
        stored = decode(state)
        if stored.get("class_version", 1) != kind.class_version:
            return None
        plain = _plain_top_level(stored, state.count(TRANSCODED_MARK))
        if plain is None or "timestamp" not in plain:
            return None
        data = {k: v for k, v in plain.items() if k not in NOT_DATA}
        data_text = _data_text(data)
        if data_text is None or _may_be_misread(plain.get("actor")):
            return None
        text = (
            f'{self.head}"{event_id_text(subject, version)}"{self.source}{kind.type_and_schema}'
            f',"subject":"{subject}","time":{_text(plain["timestamp"])},'
            f'"datacontenttype":"application/json","data":{data_text},'
            f'"sequence":{int(sequence)},"aggregateversion":{int(version)},"actor":{_text(plain.get("actor"))}}}'
        )
        return kind.type, text.encode()

    def _learn(self, topic: str) -> _Kind:
        event_class = resolve_topic(topic)
        type_ = event_type(object.__new__(event_class))
        kind = _Kind(type_, getattr(event_class, "class_version", 1),
                     f',"type":{encode_json(type_)},"dataschema":{encode_json(dataschema(type_))}')
        self.kinds[topic] = kind
        return kind


def _plain(value: Any) -> tuple[bool, Any]:
    """(whether `value` was a transcoded datetime or UUID, its plain form)"""
    if type(value) is not dict or len(value) != 2:
        return False, value
    to_plain, text = PLAIN.get(str(value.get("_type_"))), value.get("_data_")
    if to_plain is None or not isinstance(text, str):
        return False, value
    return True, to_plain(text)


def _data_text(data: dict[str, Any]) -> str | None:
    """`encode_json(data)`, by orjson (a fifth of the time) when every value is one orjson writes
    as encode_json does; None when a value may be an integer beyond 64 bits that `decode` read as
    a float (json.loads keeps it an integer)."""
    if all(map(_same_in_orjson, data.values())):
        try:
            return orjson.dumps(data).decode()
        except orjson.JSONEncodeError:  # a lone surrogate
            pass
    return None if _may_be_misread(data) else encode_json(data)


def _may_be_misread(value: Any) -> bool:
    kind = type(value)
    if kind is float:
        return abs(value) >= MISREAD_FROM
    if kind is dict:
        return any(map(_may_be_misread, value.values()))
    return kind is list and any(map(_may_be_misread, value))


def _same_in_orjson(value: Any) -> bool:
    """A string (the same text for every code point), an integer, a boolean, null, or a float
    that `repr` writes without an exponent (0 or 1e-4 <= |x| < 1e16: the same digits, compared
    on millions of floats); not NaN, the infinities, nor lists and objects."""
    kind = type(value)
    if kind is float:
        return value == 0.0 or 1e-4 <= abs(value) < 1e16
    return kind in ORJSON_SAME


def _text(value: Any) -> str:
    return encode_basestring(value) if type(value) is str else encode_json(value)


def _plain_top_level(stored: dict[str, Any], marks: int) -> dict[str, Any] | None:
    """The state with its top-level datetimes and UUIDs as the envelope writes them; None if any
    other transcoded value may be in it (the stored text holds `"_type_"` `marks` times: more often
    than there are top-level datetimes and UUIDs)."""
    if marks == 1:  # nearly every event: only its timestamp is transcoded
        was, timestamp = _plain(stored.get("timestamp"))
        return {**stored, "timestamp": timestamp} if was else None
    plain: dict[str, Any] = {}
    converted = 0
    for key, value in stored.items():
        was, plain[key] = _plain(value)
        converted += was
    return plain if converted == marks else None
