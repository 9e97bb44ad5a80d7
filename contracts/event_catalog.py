"""The public event catalogue, read from the aggregates' code: docs/events.md is rendered here."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass

from eventsourcing.domain import Aggregate

from contracts.envelope import event_type
from domain.achievements import Achievements
from domain.checkpoint import ChainCheckpoint
from domain.cycle import Cycle
from domain.directory import Person, Team
from domain.feedback import Feedback, FeedbackRequest
from domain.goal import Goal
from domain.integrations import Measurement, MetricLink, ServiceAccount
from domain.recognition import CompanyValue, Recognition
from domain.reminders import CheckInReminder

AGGREGATES: tuple[type[Aggregate], ...] = (
    Person, Team, Cycle, Goal, Feedback, FeedbackRequest, CompanyValue, Recognition, Achievements, ChainCheckpoint,
    CheckInReminder,
    ServiceAccount,
    MetricLink,
    Measurement,
)
ENVELOPE_FIELDS = {"actor"}  # travels in the envelope's `actor` extension, not in `data`


@dataclass(frozen=True)
class EventDoc:
    type: str
    version: int
    fields: list[tuple[str, str]]


def events(aggregate: type[Aggregate]) -> Iterator[EventDoc]:
    for value in vars(aggregate).values():
        if isinstance(value, type) and issubclass(value, Aggregate.Event) and (annotations := _annotations(value)):
            yield EventDoc(
                type=event_type(object.__new__(value)),
                version=getattr(value, "class_version", 1),
                fields=[(n, t) for n, t in annotations.items() if n not in ENVELOPE_FIELDS],
            )


def _annotations(event_class: type) -> dict[str, str]:
    """The fields the domain declares, also on an explicit event class the library subclasses."""
    merged: dict[str, str] = {}
    for klass in reversed(event_class.__mro__):
        if not klass.__module__.startswith("eventsourcing"):
            merged.update(vars(klass).get("__annotations__", {}))
    return merged


def all_events() -> Iterator[EventDoc]:
    for aggregate in AGGREGATES:
        yield from events(aggregate)


def render() -> str:
    lines = [
        "# Momentum events",
        "",
        "Generated from the code by `momentum docs events`; do not edit by hand.",
        "",
        "Every event travels on the Kafka topic as a CloudEvents 1.0 envelope:",
        "`type` is `momentum.<aggregate>.<Event>.v<version>`, `subject` the aggregate id,",
        "`actor` who did it, `sequence` its global position, `aggregateversion` its position",
        "in the aggregate, and `data` holds the fields below. A changed shape gets a new",
        "version (and an upcaster).",
        "",
    ]
    for aggregate in AGGREGATES:
        lines += [
            f"## {aggregate.__name__}",
            "",
            inspect.cleandoc(aggregate.__doc__ or "").split("\n\n")[0],
            "",
        ]
        for doc in events(aggregate):
            lines += [
                f"### `{doc.type}`",
                "",
                f"version {doc.version}",
                "",
                "| field | type |",
                "|---|---|",
            ]
            lines += [f"| `{name}` | `{_cell(kind)}` |" for name, kind in doc.fields]
            lines.append("")
    return "\n".join(lines)


def _cell(text: str) -> str:
    """A pipe inside a table cell must be escaped."""
    return text.replace("|", "\\|")
