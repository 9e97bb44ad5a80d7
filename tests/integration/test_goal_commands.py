"""The write side against the real PostgreSQL event store."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from application.momentum import Momentum
from bootstrap import build_momentum
from domain.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from settings import Settings
from tests.integration.org import ADA, ADMIN, BOB, stored_count


def test_commands_store_events_with_contiguous_versions_and_global_sequences(momentum: Momentum) -> None:
    created = momentum.create_goal(ADA, title="Ship v1")
    checked = momentum.record_check_in(ADA, str(created.aggregate_id), progress=30, confidence=6)
    renamed = momentum.change_goal_title(ADMIN, str(created.aggregate_id), "Ship v1.0", "typo")
    assert (created.version, checked.version, renamed.version) == (1, 2, 3)
    assert created.sequence is not None and checked.sequence is not None and renamed.sequence is not None
    assert created.sequence < checked.sequence < renamed.sequence
    goal = momentum.get_goal(str(created.aggregate_id))
    assert (goal.title, goal.progress, goal.confidence) == ("Ship v1.0", 30.0, 6)
    assert momentum.get_goal(str(created.aggregate_id), version=1).title == "Ship v1"


@pytest.mark.parametrize(
    ("command", "error"),
    [
        (lambda app, gid: app.record_check_in(ADA, gid, progress=101), ValidationError),
        (lambda app, gid: app.record_check_in(ADA, gid, progress=50, confidence=12), ValidationError),
        (lambda app, gid: app.change_goal_title(ADA, gid, "   "), ValidationError),
        (lambda app, gid: app.record_check_in(BOB, gid, progress=50), ForbiddenError),
        (lambda app, gid: app.record_check_in(ADA, "not-a-uuid", progress=50), ValidationError),
        (
            lambda app, gid: app.record_check_in(ADA, "7d2b1c9e-0000-4000-8000-000000000000", progress=5),
            NotFoundError,
        ),
        (lambda app, gid: app.create_goal(ADA, title=""), ValidationError),
        (lambda app, gid: app.create_goal(ADA, title="For Bob", owner_id="bob"), ForbiddenError),
    ],
)
def test_a_refused_command_stores_nothing(momentum: Momentum, command, error) -> None:  # type: ignore[no-untyped-def]
    goal_id = str(momentum.create_goal(ADA, title="Ship v1").aggregate_id)
    before = stored_count(momentum)
    with pytest.raises(error):
        command(momentum, goal_id)
    assert stored_count(momentum) == before


def test_concurrent_check_ins_are_all_stored_once_with_contiguous_versions(momentum: Momentum) -> None:
    goal_id = str(momentum.create_goal(ADA, title="Race").aggregate_id)

    def check_in(i: int) -> int:
        return momentum.record_check_in(ADA, goal_id, progress=i).version

    with ThreadPoolExecutor(max_workers=8) as pool:
        versions = list(pool.map(check_in, range(40)))
    goal = momentum.get_goal(goal_id)
    assert sorted(versions) == list(range(2, 42))  # writers of one process take turns: none gives up
    assert goal.version == 41 and goal.check_in_count == 40


def test_check_ins_racing_from_two_processes_are_stored_once_or_refused_as_conflicts(
    momentum: Momentum, settings: Settings
) -> None:
    """Two application instances (as two API processes) share only the database: their writers
    race at save, and a loser re-reads, re-validates and retries, or gives up with ConflictError."""
    other = build_momentum(settings)
    goal_id = str(momentum.create_goal(ADA, title="Race").aggregate_id)

    def check_in(i: int) -> int | None:
        try:
            return (momentum if i % 2 else other).record_check_in(ADA, goal_id, progress=i).version
        except ConflictError:
            return None

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            versions = list(pool.map(check_in, range(40)))
    finally:
        other.close()
    accepted = [v for v in versions if v is not None]
    goal = momentum.get_goal(goal_id)
    assert accepted and sorted(accepted) == list(range(2, 2 + len(accepted)))
    assert goal.version == 1 + len(accepted) and goal.check_in_count == len(accepted)
