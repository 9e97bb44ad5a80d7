"""The helpers every GraphQL context shares: who is asking, cursors and pages, ids, running a
command off the event loop, and what a mutation stored."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from api import descriptions as d
from api.connections import Connection, Edge, PageInfo
from api.context import Context
from api.descriptions import MAX_PAGE
from application.momentum import Momentum
from application.store import Stored
from domain.errors import ValidationError, echoed
from projections.goals.queries import Viewer
from projections.sql import Row

MAX_SEQUENCE = 2**63 - 2  # a cursor's sequence, and the sequence next to it, fit PostgreSQL's bigint
CURSOR_DIGITS = re.compile("[0-9]{1,19}")  # ASCII, and few enough for int() (it refuses over 4300 digits)

ResolverInfo = Info[Context, None]


def viewer(context: Context) -> Viewer:
    return Viewer(context.actor.id, context.actor.is_admin)


def encode_cursor(sequence: int, prefix: str) -> str:
    return base64.urlsafe_b64encode(f"{prefix}{sequence}".encode()).decode()


def decode_cursor(cursor: str, prefix: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except ValueError:  # not base64, or not UTF-8 (a UnicodeError is a ValueError)
        text = ""
    digits = text.removeprefix(prefix)
    if text.startswith(prefix) and CURSOR_DIGITS.fullmatch(digits) and int(digits) <= MAX_SEQUENCE:
        return int(digits)
    raise ValidationError(f"{cursor[:40]!r} is not a cursor of this connection", field="after")


def page_size(first: int, most: int = MAX_PAGE) -> int:
    """`first`, if it is a page size this connection serves."""
    if not 0 <= first <= most:
        raise ValidationError(f"first must be between 0 and {most}", field="first")
    return first


@dataclass(frozen=True)
class Window:
    """The rows to ask a reader for, to serve `first` edges after the `after` cursor (Relay forward
    pagination): from the cursor's own row on, whose presence proves an edge before the page
    (hasPreviousPage), and one row more than the page, whose presence proves a next page.
    Readers bound by a sequence that is exclusive; sequences are whole numbers, so the bound
    next to the cursor's includes the cursor's row."""

    first: int
    after: int | None  # the sequence in the `after` cursor
    prefix: str

    @classmethod
    def of(cls, first: int, after: str | None, prefix: str, most: int = MAX_PAGE) -> Window:
        return cls(page_size(first, most), None if after is None else decode_cursor(after, prefix), prefix)

    @property
    def limit(self) -> int:
        return self.first + 1 + (self.after is not None)

    @property
    def oldest_first_after(self) -> int:
        """The exclusive lower bound for a reader in ascending sequence order."""
        return 0 if self.after is None else self.after - 1

    @property
    def newest_first_before(self) -> int | None:
        """The exclusive upper bound for a reader in descending sequence order."""
        return None if self.after is None else self.after + 1

    def connection(
        self,
        rows: list[Row],
        key: str,
        node: Callable[[Row], Any],
        edge: Callable[..., Any] = Edge,
        connection: Callable[..., Any] = Connection,
    ) -> Any:
        """The page of `rows` (as the reader returned them for this window), each row's cursor
        made of its `key` sequence."""
        has_previous = bool(rows) and self.after is not None and rows[0][key] == self.after
        following = rows[1:] if has_previous else rows
        edges = [edge(cursor=encode_cursor(r[key], self.prefix), node=node(r)) for r in following[: self.first]]
        info = PageInfo.of(edges, has_previous_page=has_previous, has_next_page=len(following) > self.first)
        return connection(edges=edges, page_info=info)


def require_uuid(value: Any, field: str) -> str:
    try:
        return str(UUID(str(value)))
    except ValueError:
        raise ValidationError(f"{echoed(value)} is not a valid id", field=field) from None


def app(info: ResolverInfo) -> Momentum:
    return info.context.momentum


async def run(info: ResolverInfo, command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a blocking command of the application off the event loop, as the request's actor."""
    return await asyncio.to_thread(command, info.context.actor, *args, **kwargs)


def optional_text(value: Any) -> Any:
    return None if value is None else str(value)


def written(stored: Stored, id: str) -> Write:
    return Write(id=strawberry.ID(id), version=stored.version, sequence=stored.sequence)


async def run_new(info: ResolverInfo, command: Callable[..., Any], **kwargs: Any) -> Write:
    """Run a command that makes a new aggregate; what it wrote there."""
    stored: Stored = await run(info, command, **kwargs)
    return written(stored, str(stored.aggregate_id))


async def run_on(info: ResolverInfo, command: Callable[..., Any], id: str, *args: Any, **kwargs: Any) -> Write:
    """Run a command on the aggregate `id` names (its first argument); what it wrote there."""
    return written(await run(info, command, id, *args, **kwargs), id)


def command_keywords(input: Any, *taken: str) -> dict[str, Any]:
    """An input's fields, but those `taken`, as the keywords of the command of the same names:
    an enum as its value."""
    values = {f.name: getattr(input, f.name) for f in dataclasses.fields(input) if f.name not in taken}
    return {name: v.value if isinstance(v, enum.Enum) else v for name, v in values.items()}


def same_columns(type_: Any, row: Row) -> dict[str, Any]:
    """The row's columns that a GraphQL type has a field of the same name for, as they are."""
    return {name: row[name] for name in _init_fields(type_) if name in row}


@cache
def _init_fields(type_: Any) -> tuple[str, ...]:
    """A type's init fields, looked up once per type rather than once per row of a page."""
    return tuple(f.name for f in dataclasses.fields(type_) if f.init)


def optional_id(value: Any) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(str(value))


@strawberry.type(description="What a directory, cycle, feedback or kudos mutation stored.")
class Write:
    id: strawberry.ID = strawberry.field(
        description="The id of what was written: the person, team, cycle, feedback, request, kudos or company value."
    )
    version: int = strawberry.field(description="Its version after the change.")
    sequence: int | None = strawberry.field(description=d.WRITE_SEQUENCE)
