"""The fast tier: the goal commands and who may do what, on the in-memory event store (the same
abstract cases run on PostgreSQL in tests/integration)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from application.momentum import Momentum
from tests.cases.goal_authorization import GoalAuthorizationCase
from tests.cases.goal_commands import GoalCommandsCase


@pytest.fixture
def momentum() -> Iterator[Momentum]:
    app = Momentum()  # the library's default persistence: in memory
    yield app
    app.close()


class TestGoalCommandsInMemory(GoalCommandsCase):
    pass


class TestGoalAuthorizationInMemory(GoalAuthorizationCase):
    pass
