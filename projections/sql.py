"""Row ⇄ view helpers shared by the read-model stores."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

import orjson
from psycopg import AsyncConnection, Cursor, adapters
from psycopg.adapt import AdaptersMap
from psycopg.rows import dict_row
from psycopg.types.json import Json, Jsonb
from psycopg.types.string import TextLoader

from projections.views import columns, json_columns, values

ViewT = TypeVar("ViewT")
Row = dict[str, Any]  # a read-model row, as the queries return it (psycopg dict_row)


def conditions(filters: Any, clauses: dict[str, str], *always: str) -> str:
    """The SQL condition of `always` and of each clause whose filter (an attribute of `filters`,
    by the clause's name) is given, not None."""
    given = [sql for name, sql in clauses.items() if getattr(filters, name) is not None]
    return " AND ".join([*always, *given])


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
    """The view's values, its dict and list fields wrapped for jsonb columns."""
    row = values(view)
    json = json_columns(type(view))
    if not json:
        return row
    listed = list(row)
    for i in json:
        if listed[i] is not None:
            listed[i] = jsonb(listed[i])
    return tuple(listed)


def jsonb(value: Any) -> Jsonb:
    """A jsonb parameter, encoded by orjson (a fraction of json.dumps' time; PostgreSQL stores
    the same value: jsonb keeps the parsed value, not the text)."""
    return Jsonb(value, dumps=orjson.dumps)


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


def insert_new(
    cur: Cursor[Any], table: str, views: Sequence[Any], *, where: str = "", params: Sequence[Any] = ()
) -> None:
    """History rows keyed so that a repeated event adds nothing, in one statement: the views as
    one JSON array (orjson encodes dataclasses in C), turned into rows by
    `json_populate_recordset`, then `INSERT … ON CONFLICT DO NOTHING`. No staging table, and a
    fraction of COPY's Python time. `where` filters the rows (`f.<column>`), with `params`."""
    if not views:
        return
    names = ", ".join(columns(type(views[0])))
    cur.execute(
        f"INSERT INTO {table} ({names}) SELECT {names} FROM json_populate_recordset(NULL::{table}, %s) AS f "
        f"{f'WHERE {where} ' if where else ''}ON CONFLICT DO NOTHING",
        [Json(views, dumps=orjson.dumps), *params],
    )


def append(
    cur: Cursor[Any], table: str, views: Sequence[Any], to_row: Callable[[Any], tuple[Any, ...]] = params
) -> None:
    """History rows that can only be new, COPYed straight into their table: rows of a goal's
    versions above the version its state holds, written in the transaction that moves the state
    on (a fold skips an event at or below it). Should one exist already, the primary key refuses
    the batch and the fold parks the event instead of adding it twice."""
    if not views:
        return
    with cur.copy(f"COPY {table} ({', '.join(columns(type(views[0])))}) FROM STDIN") as copy:
        for view in views:
            copy.write_row(to_row(view))


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


async def fetch_all(conn: AsyncConnection[Any], query: str, args: Any) -> list[Row]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(query, args)
        return await cur.fetchall()


def uuids_as_text() -> AdaptersMap:
    """psycopg's types, but a uuid column read as its text: the read side turns every id it
    reads into text (`UUID.__str__` was 7 % of the API's CPU serving pages of goals)."""
    read_side = AdaptersMap(adapters)
    read_side.register_loader("uuid", TextLoader)
    return read_side

