"""PostgreSQL tables of feedback, requests, company values, allowances and kudos."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor

from contracts.envelope import Envelope
from projections import sql
from projections.feedback.fold import (
    ALLOWANCES,
    FEEDBACK,
    REQUESTS,
    VALUES,
    AllowanceView,
    FeedbackView,
    RequestView,
    ValueView,
    kudos,
)
from projections.readmodel import ReadModel, row_model, row_table

FEEDBACK_DDL = row_table("feedback", """
    author_id text NOT NULL,
    recipient_id text NOT NULL,
    manager_id text,
    kind text NOT NULL,
    visibility text NOT NULL,
    direction text NOT NULL,
    text text NOT NULL,
    goal_id uuid,
    request_id uuid,
    acknowledged_at timestamptz,
    given_at timestamptz NOT NULL,
    created_sequence bigint NOT NULL
""") + """
CREATE INDEX IF NOT EXISTS feedback_recipient ON feedback (recipient_id, created_sequence);
CREATE INDEX IF NOT EXISTS feedback_author ON feedback (author_id, created_sequence);
CREATE INDEX IF NOT EXISTS feedback_goal ON feedback (goal_id, created_sequence);
"""

FEEDBACK_REQUESTS_DDL = row_table("feedback_requests", """
    requester_id text NOT NULL,
    question text NOT NULL,
    goal_id uuid,
    respondents jsonb NOT NULL,
    requested_at timestamptz NOT NULL,
    created_sequence bigint NOT NULL
""") + """
CREATE INDEX IF NOT EXISTS feedback_requests_requester ON feedback_requests (requester_id);
CREATE INDEX IF NOT EXISTS feedback_requests_respondents ON feedback_requests USING gin (respondents);
"""

COMPANY_VALUES_DDL = row_table("company_values", """
    id text NOT NULL UNIQUE,
    name text NOT NULL,
    description text NOT NULL,
    active boolean NOT NULL
""")

KUDOS_ALLOWANCES_DDL = row_table("kudos_allowances", """
    giver_id text NOT NULL,
    period text NOT NULL,
    allowance integer NOT NULL,
    spent integer NOT NULL,
    UNIQUE (giver_id, period)
""")

KUDOS_DDL = """
CREATE TABLE IF NOT EXISTS kudos (
    id text PRIMARY KEY,
    giver_id text NOT NULL,
    recipient_ids text[] NOT NULL,
    points integer NOT NULL,
    value_id text NOT NULL,
    message text NOT NULL,
    period text NOT NULL,
    given_at timestamptz NOT NULL,
    sequence bigint NOT NULL UNIQUE
);
"""


KUDOS_GIVEN = "momentum.recognition.KudosGiven.v1"


class KudosProjection:
    """One row per kudos; a redelivered event adds nothing."""

    def folds(self, event_type: str) -> bool:
        return event_type == KUDOS_GIVEN

    def apply(self, cur: Cursor[Any], events: list[Envelope]) -> None:
        sql.insert_new(cur, "kudos", [kudos(e) for e in events if e["type"] == KUDOS_GIVEN])


# erasure: the clear copies of the sealed fields (contracts/private_events.py) these tables hold
REDACT_FEEDBACK = "UPDATE feedback SET text = %(redacted)s WHERE author_id = %(person)s AND visibility <> 'public'"
REDACT_REQUESTS = "UPDATE feedback_requests SET question = %(redacted)s WHERE requester_id = %(person)s"


def read_models() -> list[ReadModel]:
    return [
        row_model("feedback", FeedbackView, FEEDBACK, FEEDBACK_DDL, (REDACT_FEEDBACK,)),
        row_model("feedback_requests", RequestView, REQUESTS, FEEDBACK_REQUESTS_DDL, (REDACT_REQUESTS,)),
        row_model("company_values", ValueView, VALUES, COMPANY_VALUES_DDL),
        row_model("kudos_allowances", AllowanceView, ALLOWANCES, KUDOS_ALLOWANCES_DDL),
        ReadModel("kudos", ("kudos",), KUDOS_DDL, KudosProjection()),
    ]
