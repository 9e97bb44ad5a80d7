"""Feedback, request, kudos and value queries; every feedback read applies projections.privacy."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection

from projections.feedback.visibility import FEEDBACK_SQL
from projections.sql import Row, fetch_all

NEWEST = "ORDER BY f.created_sequence DESC LIMIT %(limit)s"


async def feedback_where(
    conn: AsyncConnection[Any], viewer_id: str, column: str, value: str, *, before: int | None, limit: int
) -> list[Row]:
    """Visible feedback whose `column` is `value`, newest first, older than the cursor `before`."""
    assert column in ("recipient_id", "author_id", "goal_id", "request_id")
    cast = "::uuid" if column in ("goal_id", "request_id") else ""
    return await fetch_all(
        conn,
        f"SELECT f.* FROM feedback f WHERE f.{column} = %(value)s{cast} AND {FEEDBACK_SQL} "
        f"AND (%(before)s::bigint IS NULL OR f.created_sequence < %(before)s) {NEWEST}",
        {"me": viewer_id, "value": value, "before": before, "limit": limit},
    )


async def feedback_about_goals(
    conn: AsyncConnection[Any], viewer_id: str, goal_ids: list[str], limit: int
) -> list[Row]:
    """The newest `limit` visible feedback items about each goal of `goal_ids`, newest first."""
    return await fetch_all(
        conn,
        "SELECT * FROM (SELECT f.*, row_number() OVER (PARTITION BY f.goal_id ORDER BY f.created_sequence DESC) "
        f"AS newness FROM feedback f WHERE f.goal_id = ANY(%(goals)s::uuid[]) AND {FEEDBACK_SQL}) ranked "
        "WHERE newness <= %(limit)s ORDER BY goal_id, created_sequence DESC",
        {"me": viewer_id, "goals": goal_ids, "limit": limit},
    )


async def feedback_by_ids(conn: AsyncConnection[Any], viewer_id: str, ids: list[str]) -> list[Row]:
    return await fetch_all(
        conn,
        f"SELECT f.* FROM feedback f WHERE f.aggregate_id = ANY(%(ids)s::uuid[]) AND {FEEDBACK_SQL}",
        {"me": viewer_id, "ids": ids},
    )


async def requests_of(
    conn: AsyncConnection[Any], viewer_id: str, asked: bool, limit: int, *, before: int | None = None
) -> list[Row]:
    """Requests the viewer sent, or (asked) the requests that ask the viewer; newest first, older
    than the cursor `before`."""
    where = "respondents ? %(me)s" if asked else "requester_id = %(me)s"
    return await fetch_all(
        conn,
        f"SELECT * FROM feedback_requests WHERE {where} "
        "AND (%(before)s::bigint IS NULL OR created_sequence < %(before)s) "
        "ORDER BY created_sequence DESC LIMIT %(limit)s",
        {"me": viewer_id, "limit": limit, "before": before},
    )


async def kudos_page(conn: AsyncConnection[Any], person_id: str | None, *, before: int | None, limit: int) -> list[Row]:
    """Kudos, newest first; with a person, the kudos they gave or received."""
    return await fetch_all(
        conn,
        "SELECT k.*, v.name AS value_name FROM kudos k LEFT JOIN company_values v ON v.id = k.value_id "
        "WHERE (%(person)s::text IS NULL OR k.giver_id = %(person)s OR %(person)s = ANY(k.recipient_ids)) "
        "AND (%(before)s::bigint IS NULL OR k.sequence < %(before)s) ORDER BY k.sequence DESC LIMIT %(limit)s",
        {"person": person_id, "before": before, "limit": limit},
    )


async def company_values(conn: AsyncConnection[Any]) -> list[Row]:
    return await fetch_all(conn, "SELECT * FROM company_values ORDER BY name, id", {})


async def allowance(conn: AsyncConnection[Any], giver_id: str, period: str) -> Row | None:
    rows = await fetch_all(
        conn, "SELECT * FROM kudos_allowances WHERE giver_id = %s AND period = %s", (giver_id, period)
    )
    return rows[0] if rows else None


async def news_for(conn: AsyncConnection[Any], viewer_id: str, after: int, upto: int, limit: int = 100) -> list[Row]:
    """For the `myFeedback` subscription: feedback given to the viewer and requests asking the
    viewer, stored with a sequence in (after, upto], oldest first; each row has `item` set to
    'feedback' or 'request' and `sequence` to the sequence that created it. Rows pass
    projections.privacy.concerns by construction."""
    window = {"me": viewer_id, "after": after, "upto": upto, "limit": limit}
    feedback = await fetch_all(
        conn,
        "SELECT 'feedback' AS item, f.created_sequence AS sequence, f.* FROM feedback f "
        "WHERE f.recipient_id = %(me)s AND f.created_sequence > %(after)s AND f.created_sequence <= %(upto)s "
        "ORDER BY f.created_sequence LIMIT %(limit)s",
        window,
    )
    requests = await fetch_all(
        conn,
        "SELECT 'request' AS item, r.created_sequence AS sequence, r.* FROM feedback_requests r "
        "WHERE r.respondents ? %(me)s AND r.created_sequence > %(after)s AND r.created_sequence <= %(upto)s "
        "ORDER BY r.created_sequence LIMIT %(limit)s",
        window,
    )
    return sorted(feedback + requests, key=lambda r: r["sequence"])[:limit]


async def kudos_after(conn: AsyncConnection[Any], after: int, upto: int, limit: int = 100) -> list[Row]:
    """For the `kudosFeed` subscription: kudos stored with a sequence in (after, upto], oldest first."""
    return await fetch_all(
        conn,
        "SELECT k.*, v.name AS value_name FROM kudos k LEFT JOIN company_values v ON v.id = k.value_id "
        "WHERE k.sequence > %(after)s AND k.sequence <= %(upto)s ORDER BY k.sequence LIMIT %(limit)s",
        {"after": after, "upto": upto, "limit": limit},
    )
