"""Optimistic concurrency: a command that loses a race at save is run again, then gives up."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import IntegrityError

from application.store import MAX_ATTEMPTS, EventStore
from domain.errors import ConflictError


@pytest.fixture
def store() -> EventStore:
    return EventStore(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def test_a_lost_race_is_run_again_until_its_save_wins(store: EventStore) -> None:
    losses = 2

    def attempt() -> str:
        nonlocal losses
        if losses:
            losses -= 1
            raise IntegrityError("another writer stored this version first")
        return "stored"

    assert store.retry("goal-1", attempt, "too fast") == "stored"
    assert losses == 0


def test_a_long_losing_streak_gives_up_with_a_conflict(store: EventStore) -> None:
    attempts = 0

    def attempt() -> str:
        nonlocal attempts
        attempts += 1
        raise IntegrityError("another writer stored this version first")

    with pytest.raises(ConflictError, match="too fast"):
        store.retry("goal-1", attempt, "goal goal-1 is changing too fast, retry")
    assert attempts == MAX_ATTEMPTS
