"""The read models of people, teams, cycles and service accounts: one row per aggregate."""

from __future__ import annotations

from projections.directory.fold import (
    CYCLES,
    PEOPLE,
    SERVICE_ACCOUNTS,
    TEAMS,
    CycleView,
    PersonView,
    ServiceAccountView,
    TeamView,
)
from projections.readmodel import ReadModel, row_model, row_table

PEOPLE_DDL = row_table("people", """
    id text NOT NULL UNIQUE,
    name text NOT NULL,
    email text NOT NULL,
    manager_id text,
    team_id text,
    active boolean NOT NULL
""") + """
CREATE INDEX IF NOT EXISTS people_manager ON people (manager_id);
CREATE INDEX IF NOT EXISTS people_team ON people (team_id);
"""

TEAMS_DDL = row_table("teams", """
    id text NOT NULL UNIQUE,
    name text NOT NULL,
    lead_id text,
    active boolean NOT NULL
""")

SERVICE_ACCOUNTS_DDL = row_table("service_accounts", """
    id text NOT NULL UNIQUE,
    name text NOT NULL,
    active boolean NOT NULL
""")

CYCLES_DDL = row_table("cycles", """
    name text NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    timezone text NOT NULL,
    closed boolean NOT NULL,
    status_reason text NOT NULL
""") + """
ALTER TABLE cycles ADD COLUMN IF NOT EXISTS timezone text NOT NULL DEFAULT 'UTC';
"""


def read_models() -> list[ReadModel]:
    return [
        row_model("people", PersonView, PEOPLE, PEOPLE_DDL),
        row_model("teams", TeamView, TEAMS, TEAMS_DDL),
        row_model("cycles", CycleView, CYCLES, CYCLES_DDL),
        row_model("service_accounts", ServiceAccountView, SERVICE_ACCOUNTS, SERVICE_ACCOUNTS_DDL),
    ]
