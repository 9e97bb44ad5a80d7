"""Row ⇄ view helpers shared by the read-model stores."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import astuple, fields
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from psycopg import Cursor
from psycopg.types.json import Jsonb

ViewT = TypeVar("ViewT")


def columns(view_type: type) -> list[str]:
    return [f.name for f in fields(view_type)]


def plain(value: Any) -> Any:
    """A database value as the views hold it: ids and times as strings."""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def params(view: Any) -> tuple[Any, ...]:
    return tuple(Jsonb(v) if isinstance(v, dict) else v for v in astuple(view))


def upsert(cur: Cursor[Any], table: str, views: Sequence[Any], key: Sequence[str]) -> None:
    if not views:
        return
    names = columns(type(views[0]))
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in names if c not in key)
    cur.executemany(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}",
        [params(v) for v in views],
    )


def insert_new(cur: Cursor[Any], table: str, views: Sequence[Any]) -> None:
    """History rows: keyed by (aggregate, version), so a redelivered event adds nothing."""
    if not views:
        return
    names = columns(type(views[0]))
    cur.executemany(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))}) "
        "ON CONFLICT DO NOTHING",
        [params(v) for v in views],
    )


def load(
    cur: Cursor[Any],
    table: str,
    view_type: type[ViewT],
    key: str,
    ids: Iterable[str],
    lock: bool = True,
) -> list[ViewT]:
    names = columns(view_type)
    # no cast on the column: `key = ANY(untyped array)` takes the column's type and its index
    cur.execute(
        f"SELECT {', '.join(names)} FROM {table} WHERE {key} = ANY(%s) "
        f"ORDER BY {key}{' FOR UPDATE' if lock else ''}",
        (sorted(ids),),
    )
    return [view_type(*(plain(v) for v in row)) for row in cur.fetchall()]
