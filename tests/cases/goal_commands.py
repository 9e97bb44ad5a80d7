"""The goal commands of the write side, on any event store (the abstract case)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from application.momentum import Momentum
from domain.errors import ForbiddenError, NotFoundError, ValidationError
from tests.integration.org import ADA, ADMIN, BOB, stored_count


class GoalCommandsCase:
    """The goal commands on any event store: subclassed with a `momentum` fixture per store
    (tests/unit: in memory; tests/integration: PostgreSQL), as the eventsourcing examples do."""

    def test_commands_store_events_with_contiguous_versions_and_global_sequences(self, momentum: Momentum) -> None:
        created = momentum.goals.create_goal(ADA, title="Ship v1")
        checked = momentum.goals.record_check_in(ADA, str(created.aggregate_id), progress=30, confidence=6)
        renamed = momentum.goals.change_goal_title(ADMIN, str(created.aggregate_id), "Ship v1.0", "typo")
        assert (created.version, checked.version, renamed.version) == (1, 2, 3)
        assert created.sequence is not None and checked.sequence is not None and renamed.sequence is not None
        assert created.sequence < checked.sequence < renamed.sequence
        goal = momentum.goals.get_goal(str(created.aggregate_id))
        assert (goal.title, goal.progress, goal.confidence) == ("Ship v1.0", 30.0, 6)
        assert momentum.goals.get_goal(str(created.aggregate_id), version=1).title == "Ship v1"

    @pytest.mark.parametrize(
        ("command", "error"),
        [
            (lambda app, gid: app.goals.record_check_in(ADA, gid, progress=101), ValidationError),
            (lambda app, gid: app.goals.record_check_in(ADA, gid, progress=50, confidence=12), ValidationError),
            (lambda app, gid: app.goals.change_goal_title(ADA, gid, "   "), ValidationError),
            (lambda app, gid: app.goals.record_check_in(BOB, gid, progress=50), ForbiddenError),
            (lambda app, gid: app.goals.record_check_in(ADA, "not-a-uuid", progress=50), ValidationError),
            (
                lambda app, gid: app.goals.record_check_in(ADA, "7d2b1c9e-0000-4000-8000-000000000000", progress=5),
                NotFoundError,
            ),
            (lambda app, gid: app.goals.create_goal(ADA, title=""), ValidationError),
            (lambda app, gid: app.goals.create_goal(ADA, title="For Bob", owner_id="bob"), ForbiddenError),
        ],
    )
    def test_a_refused_command_stores_nothing(self, momentum: Momentum, command, error) -> None:  # type: ignore[no-untyped-def]
        goal_id = str(momentum.goals.create_goal(ADA, title="Ship v1").aggregate_id)
        before = stored_count(momentum)
        with pytest.raises(error):
            command(momentum, goal_id)
        assert stored_count(momentum) == before

    def test_concurrent_check_ins_are_all_stored_once_with_contiguous_versions(self, momentum: Momentum) -> None:
        goal_id = str(momentum.goals.create_goal(ADA, title="Race").aggregate_id)

        def check_in(i: int) -> int:
            return momentum.goals.record_check_in(ADA, goal_id, progress=i).version

        with ThreadPoolExecutor(max_workers=8) as pool:
            versions = list(pool.map(check_in, range(40)))
        goal = momentum.goals.get_goal(goal_id)
        assert sorted(versions) == list(range(2, 42))  # writers of one process take turns: none gives up
        assert goal.version == 41 and goal.check_in_count == 40
