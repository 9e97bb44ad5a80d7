"""The read model of check-in reminders: one row per reminder."""

from __future__ import annotations

from projections.readmodel import ReadModel, row_model, row_table
from projections.reminders.fold import REMINDERS, ReminderView

DDL = row_table("check_in_reminders", """
    goal_id uuid NOT NULL,
    person_id text NOT NULL,
    cadence text NOT NULL,
    due_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL,
    sequence bigint NOT NULL
""") + """
CREATE INDEX IF NOT EXISTS check_in_reminders_person ON check_in_reminders (person_id, sequence);
CREATE INDEX IF NOT EXISTS check_in_reminders_goal ON check_in_reminders (goal_id, due_at);
"""


def read_model() -> ReadModel:
    return row_model("check_in_reminders", ReminderView, REMINDERS, DDL)
