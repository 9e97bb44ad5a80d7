"""JSON Schemas (2020-12) of the public event envelopes, generated from the events' annotations."""

from __future__ import annotations

import types
import typing
from datetime import date, datetime
from typing import Any
from uuid import UUID

import contracts.private_events  # noqa: F401 - the registry marks sealed fields in the schemas
from contracts.envelope import dataschema
from contracts.event_catalog import EventDoc, all_events
from contracts.privacy import SEALED_SCHEMA, private_fields
from contracts.upcasting import SUPERSEDED

DIALECT = "https://json-schema.org/draft/2020-12/schema"
NAMES: dict[str, Any] = {
    "Any": Any, "str": str, "int": int, "float": float, "bool": bool, "None": None,
    "dict": dict, "list": list, "date": date, "datetime": datetime, "UUID": UUID,
}
SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    None: {"type": "null"},
    type(None): {"type": "null"},
    date: {"type": "string", "format": "date"},
    datetime: {"type": "string", "format": "date-time"},
    UUID: {"type": "string", "format": "uuid"},
}


class UnmappableAnnotation(TypeError):
    """An event field whose annotation has no JSON Schema mapping: add one before publishing it."""


def annotation_schema(annotation: str | Any) -> dict[str, Any]:
    """The JSON Schema of an annotation (the string form the events carry, or a type)."""
    if isinstance(annotation, str):
        try:
            annotation = eval(annotation, {"__builtins__": {}}, NAMES)  # noqa: S307 - names are closed
        except (NameError, SyntaxError, TypeError) as error:
            raise UnmappableAnnotation(f"cannot map annotation {annotation!r}: {error}") from None
    if annotation in SCALARS:
        return dict(SCALARS[annotation])
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [annotation_schema(arg) for arg in args]}
    if origin is dict and args and args[0] is str and args[1] is Any:
        return {"type": "object"}
    if origin is list and len(args) == 1:
        return {"type": "array", "items": annotation_schema(args[0])}
    raise UnmappableAnnotation(f"cannot map annotation {annotation!r} to JSON Schema")


def data_schema(doc: EventDoc) -> dict[str, Any]:
    sealed = private_fields(doc.type)
    properties = {
        name: {"anyOf": [annotation_schema(kind), SEALED_SCHEMA]} if name in sealed else annotation_schema(kind)
        for name, kind in doc.fields
    }
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name, _ in doc.fields],
        "additionalProperties": False,
    }


def envelope_schema(doc: EventDoc) -> dict[str, Any]:
    """The whole CloudEvents envelope of one event type, `data` included."""
    return {
        "$schema": DIALECT,
        "$id": dataschema(doc.type),
        "title": doc.type,
        "description": f"CloudEvents 1.0 envelope of {doc.type} on the momentum.events topic.",
        "type": "object",
        "properties": {
            "specversion": {"const": "1.0"},
            "id": {"type": "string", "format": "uuid", "description": "stable: deduplicate on it"},
            "source": {"type": "string", "minLength": 1},
            "type": {"const": doc.type},
            "dataschema": {"const": dataschema(doc.type)},
            "subject": {"type": "string", "format": "uuid", "description": "the aggregate id (the Kafka key)"},
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"const": "application/json"},
            "data": data_schema(doc),
            "sequence": {"type": "integer", "minimum": 1, "description": "global position in the event store"},
            "aggregateversion": {"type": "integer", "minimum": 1},
            "actor": {"type": ["string", "null"], "description": "who did it"},
        },
        "required": [
            "specversion", "id", "source", "type", "dataschema", "subject", "time",
            "datacontenttype", "data", "sequence", "aggregateversion", "actor",
        ],
        "additionalProperties": False,
    }


def all_schemas() -> dict[str, dict[str, Any]]:
    """Every public event type's envelope schema, by type, superseded versions included."""
    docs = sorted([*all_events(), *SUPERSEDED], key=lambda doc: doc.type)
    return {doc.type: envelope_schema(doc) for doc in docs}
