"""Engagement counts of feedback, requests and kudos for a set of people in a time range,
counting only what the viewer may see (feedback by FEEDBACK_SQL; a request only by its
requester and respondents; kudos are public)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg import AsyncConnection

from projections.feedback.visibility import FEEDBACK_SQL
from projections.sql import Row, fetch_all


async def feedback_between(
    conn: AsyncConnection[Any], viewer_id: str, people: list[str], start: datetime, end: datetime
) -> list[Row]:
    """Feedback given or received by `people` in [start, end) that the viewer may see."""
    return await fetch_all(
        conn,
        "SELECT f.author_id, f.recipient_id, f.direction, f.request_id IS NOT NULL AS answer FROM feedback f "
        "WHERE f.given_at >= %(start)s AND f.given_at < %(end)s "
        f"AND (f.author_id = ANY(%(people)s) OR f.recipient_id = ANY(%(people)s)) AND {FEEDBACK_SQL}",
        {"me": viewer_id, "people": people, "start": start, "end": end},
    )


async def requests_between(
    conn: AsyncConnection[Any], viewer_id: str, people: list[str], start: datetime, end: datetime
) -> list[Row]:
    """Requests `people` sent in [start, end) that the viewer sent or was asked by."""
    return await fetch_all(
        conn,
        "SELECT r.requester_id FROM feedback_requests r "
        "WHERE r.requested_at >= %(start)s AND r.requested_at < %(end)s AND r.requester_id = ANY(%(people)s) "
        "AND (r.requester_id = %(me)s OR r.respondents ? %(me)s)",
        {"me": viewer_id, "people": people, "start": start, "end": end},
    )


async def kudos_between(conn: AsyncConnection[Any], people: list[str], start: datetime, end: datetime) -> list[Row]:
    """Kudos given or received by `people` in [start, end)."""
    return await fetch_all(
        conn,
        "SELECT giver_id, recipient_ids, points, value_id FROM kudos "
        "WHERE given_at >= %(start)s AND given_at < %(end)s "
        "AND (giver_id = ANY(%(people)s) OR recipient_ids && %(people)s::text[])",
        {"people": people, "start": start, "end": end},
    )
