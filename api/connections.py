"""Relay cursor connections: a page of a list, its edges and where it lies."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import strawberry

from api import descriptions as d


@strawberry.type(description="Where a page of a connection lies in its list (Relay cursor connections).")
class PageInfo:
    has_previous_page: bool = strawberry.field(
        description="True when edges exist before this page: when `after` is the cursor of an edge the list "
        "still holds. False on the first page, and when the `after` edge is gone from the list (the Relay "
        "spec lets forward pagination answer false when it cannot tell cheaply)."
    )
    has_next_page: bool = strawberry.field(
        description="True when more edges follow this page: fetch them with `after: endCursor`."
    )
    start_cursor: str | None = strawberry.field(
        description="The cursor of the page's first edge; null when the page is empty."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last edge; null when the page is empty."
    )

    @classmethod
    def of(cls, edges: list[Any], *, has_previous_page: bool, has_next_page: bool) -> PageInfo:
        """The page info of `edges`, which carry a `cursor`."""
        return cls(
            has_previous_page=has_previous_page,
            has_next_page=has_next_page,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        )


Node = TypeVar("Node")


@strawberry.type(description="An item of a connection, with its cursor.")
class Edge(Generic[Node]):
    cursor: str = strawberry.field(description=d.CURSOR)
    node: Node = strawberry.field(description=d.NODE)


@strawberry.type(description="One page of a list, a Relay cursor connection: its edges and where it lies.")
class Connection(Generic[Node]):
    edges: list[Edge[Node]] = strawberry.field(description=d.EDGES)
    page_info: PageInfo = strawberry.field(description=d.PAGE_INFO)
