"""The notice the projector sends on PostgreSQL channel `momentum_read_models` after each
committed batch: which topic moved, the highest sequence applied and the subjects (aggregate
ids) it changed. PostgreSQL caps a payload below 8000 bytes: a batch touching too many
subjects says `"subjects": null`, meaning "anything may have changed"."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

CHANNEL = "momentum_read_models"
ERASURES = "momentum_erasures"  # `momentum people erase` tells every process caching aggregates
RELAY_TAIL = "momentum_relay_tail"  # the relay has recorded a new tail (payload: the topic), for projectors
MAX_PAYLOAD_BYTES = 7900


@dataclass(frozen=True)
class Notice:
    topic: str
    sequence: int
    subjects: frozenset[str] | None  # None: anything may have changed
    sent_at: float | None = field(default=None, compare=False)
    event_at: float | None = field(default=None, compare=False)

    def touches(self, subject: str) -> bool:
        return self.subjects is None or subject in self.subjects


def payload(topic: str, events: Iterable[dict[str, Any]]) -> str:
    applied = list(events)
    newest = max(applied, key=lambda e: int(e["sequence"]), default=None)
    sequence = 0 if newest is None else int(newest["sequence"])
    times = {"sent_at": time.time(), "event_at": None if newest is None else _epoch(newest.get("time"))}
    subjects = sorted({str(e["subject"]) for e in applied if e.get("subject")})
    text = json.dumps({"topic": topic, "sequence": sequence, "subjects": subjects, **times}, separators=(",", ":"))
    if len(text.encode()) <= MAX_PAYLOAD_BYTES:
        return text
    return json.dumps({"topic": topic, "sequence": sequence, "subjects": None, **times}, separators=(",", ":"))


def _epoch(text: object) -> float | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def parse(text: str) -> Notice:
    """A notice; a payload that is not one (an older projector sent the bare topic) touches anything."""
    try:
        fields = json.loads(text)
        subjects = fields["subjects"]
        return Notice(str(fields["topic"]), int(fields["sequence"]), None if subjects is None else frozenset(subjects),
                      _seconds(fields.get("sent_at")), _seconds(fields.get("event_at")))
    except (ValueError, TypeError, KeyError):
        return Notice(text, 0, None)


def _seconds(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None
