"""The goal commands against the real PostgreSQL event store: the abstract case, and a race
that needs two application instances sharing one database."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from uuid import UUID

import pytest

from application.momentum import Momentum
from bootstrap import build_momentum
from domain.errors import ConflictError, DomainError
from settings import Settings
from tests.cases.goal_commands import GoalCommandsCase
from tests.integration.org import ADA, ADMIN, BOB, build_org


class TestGoalCommandsOnPostgres(GoalCommandsCase):
    """`momentum`: tests/integration/conftest.py."""

    def test_check_ins_racing_from_two_processes_are_stored_once_or_refused_as_conflicts(
        self, momentum: Momentum, settings: Settings
    ) -> None:
        """Two application instances (as two API processes) share only the database: their writers
        race at save, and a loser re-reads, re-validates and retries, or gives up with ConflictError."""
        other = build_momentum(settings)
        goal_id = str(momentum.goals.create_goal(ADA, title="Race").aggregate_id)

        def check_in(i: int) -> int | None:
            try:
                return (momentum if i % 2 else other).goals.record_check_in(ADA, goal_id, progress=i).version
            except ConflictError:
                return None

        try:
            with ThreadPoolExecutor(max_workers=8) as pool:
                versions = list(pool.map(check_in, range(40)))
        finally:
            other.close()
        accepted = [v for v in versions if v is not None]
        goal = momentum.goals.get_goal(goal_id)
        assert accepted and sorted(accepted) == list(range(2, 2 + len(accepted)))
        assert goal.version == 1 + len(accepted) and goal.check_in_count == len(accepted)

    def test_a_command_on_an_aggregate_another_process_changed_is_decided_on_what_it_stored(
        self, momentum: Momentum, settings: Settings
    ) -> None:
        """A command's first attempt decides on this process's cached goal, unread: when another
        process has changed it since, the save collides and the command is decided again on the
        stored goal (its version follows the other's), in one call."""
        other = build_momentum(settings)
        try:
            goal_id = str(momentum.goals.create_goal(ADA, title="Shared").aggregate_id)
            assert other.goals.record_check_in(ADA, goal_id, progress=10).version == 2  # cached by `other`
            assert momentum.goals.record_check_in(ADA, goal_id, progress=20).version == 3
            assert other.goals.record_check_in(ADA, goal_id, progress=30).version == 4
            goal = momentum.goals.get_goal(goal_id)
            assert (goal.version, goal.check_in_count, goal.progress) == (4, 3, 30)
        finally:
            other.close()

    def test_a_refusal_decided_on_a_stale_cached_goal_is_decided_again_on_the_stored_one(
        self, momentum: Momentum, settings: Settings
    ) -> None:
        """`other` cached the goal while ada owned it; this process gave it to bob since. Bob's
        check-in through `other` would be refused on the cached goal, and is stored."""
        build_org(momentum)
        other = build_momentum(settings)
        try:
            goal_id = str(momentum.goals.create_goal(ADA, title="Handed over").aggregate_id)
            other.goals.record_check_in(ADA, goal_id, progress=10)
            momentum.goals.change_goal_owner(ADMIN, goal_id, owner_id="bob", reason="bob takes it")
            assert other.goals.record_check_in(BOB, goal_id, progress=40).version == 4
            with pytest.raises(DomainError):  # and ada, no longer the owner, is refused still
                other.goals.record_check_in(ADA, goal_id, progress=50)
        finally:
            other.close()

    def test_a_command_leaves_in_the_cache_the_goal_as_the_store_gives_it(self, momentum: Momentum) -> None:
        """The next command decides on the cached goal unread: it must be what a read of the
        stored events makes, not the command's own copy."""
        store = momentum.goals.app
        goal_id = str(momentum.goals.create_goal(ADA, title="Cached").aggregate_id)
        momentum.goals.add_key_result(ADA, goal_id, title="Ship", kind="increase_to", start=0, target=10, unit="x")
        momentum.goals.record_check_in(ADA, goal_id, progress=40, confidence=7, note="on track")
        cached = store.repository.cache.get(UUID(goal_id))
        read = store.repository.get(UUID(goal_id), version=cached.version)  # from the events, not the cache
        assert cached.version == 3
        assert vars(cached) == vars(read)
