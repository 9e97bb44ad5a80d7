"""The role the application uses cannot change or remove a stored event."""

from __future__ import annotations

import psycopg
import pytest

from application.identity import Actor
from bootstrap import build_momentum
from settings import Settings


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE momentum_events SET state = 'x'::bytea",
        "UPDATE momentum_events SET originator_version = originator_version + 100",
        "DELETE FROM momentum_events",
        "TRUNCATE momentum_events",
    ],
)
def test_the_application_role_cannot_alter_stored_events(settings: Settings, statement: str) -> None:
    momentum = build_momentum(settings)
    momentum.goals.create_goal(Actor("ada"), title="Forever")
    with psycopg.connect(settings.database_url) as conn:
        before = conn.execute("SELECT originator_id, originator_version, state FROM momentum_events").fetchall()
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="immutable"):
            conn.execute(statement)
        conn.rollback()
        assert conn.execute("SELECT originator_id, originator_version, state FROM momentum_events").fetchall() == before
    momentum.close()


def test_appending_still_works_and_protection_is_idempotent(settings: Settings) -> None:
    first, second = build_momentum(settings), build_momentum(settings)
    stored = first.goals.create_goal(Actor("ada"), title="Twice protected")
    second.goals.record_check_in(Actor("ada"), str(stored.aggregate_id), progress=10)
    assert second.goals.get_goal(str(stored.aggregate_id)).version == 2
    first.close()
    second.close()
