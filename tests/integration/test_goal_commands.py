"""The goal commands against the real PostgreSQL event store: the abstract case, and a race
that needs two application instances sharing one database."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from application.momentum import Momentum
from bootstrap import build_momentum
from domain.errors import ConflictError
from settings import Settings
from tests.cases.goal_commands import GoalCommandsCase
from tests.integration.org import ADA


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
