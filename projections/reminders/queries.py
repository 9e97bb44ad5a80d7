"""Queries of check-in reminders: what the scheduler may have to record, and what a person is told."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection

from projections.goals.queries import ACTING_PERSON, OPEN_CYCLE
from projections.sql import Row, fetch_all

# Every active goal of an open cycle (or of none) with the person who checks it in, when its
# last check-in (or its creation) was, and the latest due moment already reminded.
CANDIDATES = f"""
SELECT g.id::text AS goal_id, g.check_in_cadence AS cadence,
       coalesce(g.last_check_in_at, g.created_at) AS base,
       {ACTING_PERSON} AS person_id,
       (SELECT max(r.due_at) FROM check_in_reminders r WHERE r.goal_id = g.id) AS reminded
FROM goals g
LEFT JOIN teams ot ON g.owner_kind = 'team' AND ot.id = g.owner_id
WHERE g.status = 'active' AND {OPEN_CYCLE}
ORDER BY g.created_sequence
"""


async def reminders_for(conn: AsyncConnection[Any], person_id: str, after: int, upto: int) -> list[Row]:
    """A person's reminders stored in the sequence window (after, upto], oldest first."""
    return await fetch_all(
        conn,
        "SELECT goal_id::text, person_id, cadence, due_at, recorded_at, sequence FROM check_in_reminders "
        "WHERE person_id = %s AND sequence > %s AND sequence <= %s ORDER BY sequence LIMIT 100",
        (person_id, after, upto),
    )
