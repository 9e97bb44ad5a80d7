"""Read-model views (flat frozen dataclasses) as columns, tuples and dicts. Shallow on purpose:
a view holds plain values, so `dataclasses.asdict`/`astuple`'s recursive deep copy (which
was most of the projector's time) buys nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field, fields
from operator import attrgetter
from typing import Any, TypeVar

from contracts.envelope import Envelope

ViewT = TypeVar("ViewT")
_COLUMNS: dict[type, tuple[str, ...]] = {}
_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
_JSON: dict[type, tuple[int, ...]] = {}


def columns(view_type: type) -> tuple[str, ...]:
    names = _COLUMNS.get(view_type)
    if names is None:
        names = _COLUMNS[view_type] = tuple(f.name for f in fields(view_type))
    return names


def values(view: Any) -> tuple[Any, ...]:
    getter = _GETTERS.get(type(view))
    if getter is None:
        names = columns(type(view))
        getter = _GETTERS[type(view)] = attrgetter(*names) if len(names) > 1 else lambda v: (getattr(v, names[0]),)
    return getter(view)  # type: ignore[no-any-return]


def json_columns(view_type: type) -> tuple[int, ...]:
    """Positions of the fields annotated as a dict (jsonb columns; a list is a PostgreSQL array)."""
    found = _JSON.get(view_type)
    if found is None:
        found = _JSON[view_type] = tuple(i for i, f in enumerate(fields(view_type)) if str(f.type).startswith("dict["))
    return found


def as_dict(view: Any) -> dict[str, Any]:
    return {name: getattr(view, name) for name in columns(type(view))}


def evolved(view: ViewT, **changes: Any) -> ViewT:
    """`dataclasses.replace` for a flat frozen view (no __post_init__), without running __init__
    again: a fraction of its cost, and the projector replaces a view several times per event."""
    return evolved_by(view, changes)


def evolved_by(view: ViewT, changes: dict[str, Any]) -> ViewT:
    """`evolved` with the changes in a dict (no keyword arguments to unpack and pack again)."""
    fields = view.__dict__
    if not fields.keys() >= changes.keys():
        raise TypeError(f"{type(view).__name__} has no field {sorted(changes.keys() - fields.keys())}")
    copy = object.__new__(type(view))
    copy.__dict__.update(fields)
    copy.__dict__.update(changes)
    return copy


def opened(view_type: type[ViewT], e: Envelope, **values: Any) -> ViewT:
    """The row an aggregate's first event opens: `aggregate_id` is the event's subject, each field
    named like a key of its data takes that value, `values` give the rest. Version and
    last_sequence start at 0: Fold.evolve sets them from the event."""
    data = e["data"]
    row = {name: data[name] for name in columns(view_type) if name in data}
    row.update(aggregate_id=e["subject"], version=0, last_sequence=0, **values)
    return view_type(**row)


def column(sql: str) -> Any:
    """A view field that is a column of its table: `sql` is the column's PostgreSQL type and constraints."""
    return field(metadata={"sql": sql})


def create_table(table: str, view_type: type) -> str:
    """The CREATE TABLE of a view whose every field is a `column`, in field order."""
    body = ",\n".join(f"    {f.name} {f.metadata['sql']}" for f in fields(view_type))
    return f"CREATE TABLE IF NOT EXISTS {table} (\n{body}\n);\n"
