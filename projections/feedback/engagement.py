"""Engagement counts of feedback, requests and kudos for a set of people in a time range,
counting only what the viewer may see (feedback by FEEDBACK_SQL; a request only by its
requester and respondents; kudos are public)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg import AsyncConnection

from projections.feedback.visibility import FEEDBACK_SQL
from projections.sql import Row, fetch_all

FEEDBACK = (
    "SELECT f.author_id, f.recipient_id, f.direction, f.request_id IS NOT NULL AS answer FROM feedback f "
    "WHERE f.given_at >= %(start)s AND f.given_at < %(end)s "
    f"AND (f.author_id = ANY(%(people)s) OR f.recipient_id = ANY(%(people)s)) AND {FEEDBACK_SQL}"
)
REQUESTS = (
    "SELECT r.requester_id FROM feedback_requests r "
    "WHERE r.requested_at >= %(start)s AND r.requested_at < %(end)s AND r.requester_id = ANY(%(people)s) "
    "AND (r.requester_id = %(me)s OR r.respondents ? %(me)s)"
)
KUDOS = (
    "SELECT giver_id, recipient_ids, points, value_id FROM kudos "
    "WHERE given_at >= %(start)s AND given_at < %(end)s "
    "AND (giver_id = ANY(%(people)s) OR recipient_ids && %(people)s::text[])"
)


async def feedback_between(
    conn: AsyncConnection[Any], viewer_id: str, people: list[str], start: datetime, end: datetime
) -> list[Row]:
    """Feedback given or received by `people` in [start, end) that the viewer may see."""
    return await _in_range(conn, FEEDBACK, people, start, end, me=viewer_id)


async def requests_between(
    conn: AsyncConnection[Any], viewer_id: str, people: list[str], start: datetime, end: datetime
) -> list[Row]:
    """Requests `people` sent in [start, end) that the viewer sent or was asked by."""
    return await _in_range(conn, REQUESTS, people, start, end, me=viewer_id)


async def kudos_between(conn: AsyncConnection[Any], people: list[str], start: datetime, end: datetime) -> list[Row]:
    """Kudos given or received by `people` in [start, end)."""
    return await _in_range(conn, KUDOS, people, start, end)


async def _in_range(
    conn: AsyncConnection[Any], query: str, people: list[str], start: datetime, end: datetime, **more: Any
) -> list[Row]:
    """The rows of `query` for `people` in [start, end) (`more`: its other parameters)."""
    return await fetch_all(conn, query, {"people": people, "start": start, "end": end, **more})
