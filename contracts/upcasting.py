"""Envelope upcasters: records already in the topic under an older `type` are read as the current
version, the same way the event store upcasts stored events (`upcast_vN_vM` on the event class)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contracts.envelope import Envelope, dataschema
from contracts.event_catalog import EventDoc

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


def _goal_created_v2(data: dict[str, Any]) -> dict[str, Any]:
    """v1 sealed a private person goal's description under its owner's key: it names that owner."""
    private = data["visibility"] == "private" and data["owner_kind"] == "person"
    return {**data, "private_to": data["owner_id"] if private else None}


def _named_nobody(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "private_to": None}  # v1 sealed nothing here: its text is as it was stored, in clear


# the goal's v1 events, with their fields, superseded by v2 (domain/goal_events.py)
GOAL_V1: dict[str, list[tuple[str, str]]] = {
    "Created": [("cycle_id", "str | None"), ("title", "str"), ("description", "str"), ("owner_kind", "str"),
                ("owner_id", "str"), ("parent_id", "str | None"), ("weight", "float"), ("visibility", "str"),
                ("rolls_up", "bool"), ("status", "str")],
    "DetailsChanged": [("title", "str"), ("description", "str"), ("visibility", "str"), ("rolls_up", "bool"),
                       ("reason", "str")],
    "Aligned": [("parent_id", "str | None"), ("weight", "float"), ("reason", "str")],
    "OwnerChanged": [("owner_kind", "str"), ("owner_id", "str"), ("reason", "str")],
    "Proposed": [("comment", "str")],
    "ChangeProposed": [("changes", "dict[str, Any]"), ("comment", "str")],
    "Approved": [("changes", "dict[str, Any]"), ("comment", "str")],
    "Rejected": [("reason", "str")],
    "ChangesRequested": [("comment", "str")],
    "Completed": [("reason", "str")],
    "Abandoned": [("reason", "str")],
    "KeyResultAdded": [("key_result_id", "str"), ("title", "str"), ("kind", "str"), ("start", "float"),
                       ("target", "float"), ("unit", "str"), ("weight", "float"), ("progress", "float")],
    "TargetRevised": [("key_result_id", "str"), ("previous_target", "float"), ("target", "float"),
                      ("progress", "float"), ("reason", "str")],
    "KeyResultCheckedIn": [("key_result_id", "str"), ("value", "float"), ("progress", "float"),
                           ("confidence", "int | None"), ("note", "str"), ("blockers", "str")],
    "CheckInRecorded": [("progress", "float"), ("confidence", "int | None"), ("note", "str"), ("blockers", "str")],
}

# old type → (next type, data upcaster); chains run until the type is current
UPCASTERS: dict[str, tuple[str, Upcaster]] = {
    "momentum.cycle.Created.v1": ("momentum.cycle.Created.v2", lambda data: {**data, "timezone": "UTC"}),
    **{
        f"momentum.goal.{name}.v1": (
            f"momentum.goal.{name}.v2", _goal_created_v2 if name == "Created" else _named_nobody
        )
        for name in GOAL_V1
    },
}

# superseded versions still in the topic keep their published schema
SUPERSEDED: tuple[EventDoc, ...] = (
    EventDoc(
        type="momentum.cycle.Created.v1",
        version=1,
        fields=[("name", "str"), ("starts_on", "str"), ("ends_on", "str")],
    ),
    *(EventDoc(type=f"momentum.goal.{name}.v1", version=1, fields=fields) for name, fields in GOAL_V1.items()),
)


def upcast(envelope: Envelope) -> Envelope:
    """The envelope as its type's current version; `id`, `sequence` and the rest unchanged."""
    while envelope["type"] in UPCASTERS:
        new_type, step = UPCASTERS[envelope["type"]]
        envelope = {**envelope, "type": new_type, "dataschema": dataschema(new_type), "data": step(envelope["data"])}
    return envelope
