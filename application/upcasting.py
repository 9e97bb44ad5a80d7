"""Envelope upcasters: records already in the topic under an older `type` are read as the current
version, the same way the event store upcasts stored events (`upcast_vN_vM` on the event class)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from application.envelope import dataschema
from application.event_catalog import EventDoc

Envelope = dict[str, Any]
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

# old type → (next type, data upcaster); chains run until the type is current
UPCASTERS: dict[str, tuple[str, Upcaster]] = {
    "momentum.cycle.Created.v1": ("momentum.cycle.Created.v2", lambda data: {**data, "timezone": "UTC"}),
}

# superseded versions still in the topic keep their published schema
SUPERSEDED: tuple[EventDoc, ...] = (
    EventDoc(
        type="momentum.cycle.Created.v1",
        version=1,
        fields=[("name", "str"), ("starts_on", "str"), ("ends_on", "str")],
    ),
)


def upcast(envelope: Envelope) -> Envelope:
    """The envelope as its type's current version; `id`, `sequence` and the rest unchanged."""
    while envelope["type"] in UPCASTERS:
        new_type, step = UPCASTERS[envelope["type"]]
        envelope = {**envelope, "type": new_type, "dataschema": dataschema(new_type), "data": step(envelope["data"])}
    return envelope
