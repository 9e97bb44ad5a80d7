"""Who may do what, against the real PostgreSQL event store (the abstract case; `momentum`:
tests/integration/conftest.py)."""

from tests.cases.goal_authorization import GoalAuthorizationCase


class TestGoalAuthorizationOnPostgres(GoalAuthorizationCase):
    pass
