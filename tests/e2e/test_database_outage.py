"""Stop a real PostgreSQL mid-load: requests answer UNAVAILABLE promptly, everything recovers by
itself, and no command is half-stored."""

from __future__ import annotations

from pathlib import Path

import httpx
import psycopg

from settings import Settings
from tests.e2e.client import CREATE_GOAL, GOAL, RECORD_CHECK_IN, GraphQL
from tests.e2e.conftest import running_pipeline
from tests.private_services import private_postgres
from tests.stack import fresh_settings, wait_until

REQUEST_BOUND_S = 30  # a request still unanswered after this long counts as hanging
# The longest a worker may take to publish and project once the database is back. A worker pauses
# up to 5 s between failed sessions; one that met each of the ten dead pooled connections in turn
# (as the relay did) needed ~50 s.
RECOVERY_S = 30


def test_a_database_outage_gives_unavailable_then_recovers_with_nothing_half_stored(
    tmp_path: Path, log_dir: Path
) -> None:
    with private_postgres(tmp_path / "state") as (cluster, server_url):
        settings = fresh_settings(server_url)
        with running_pipeline(settings, log_dir) as pipeline:
            ada = GraphQL(settings, "ada")
            ada.http = httpx.Client(timeout=REQUEST_BOUND_S)
            goal_id = ada.create_goal("Survive")["goalId"]
            accepted = [ada.check_in(goal_id, 10)]

            cluster.stop()
            try:
                for progress in (20, 30):
                    body = ada.post(RECORD_CHECK_IN, {"input": {"goalId": goal_id, "progress": progress}}).json()
                    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAVAILABLE"], body
                    assert "Traceback" not in str(body)
                body = ada.post(CREATE_GOAL, {"input": {"title": "lost"}}).json()
                assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAVAILABLE"], body
                body = ada.post(GOAL, {"id": goal_id}).json()
                assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAVAILABLE"], body
            finally:
                cluster.start()

            def check_in_again() -> dict | None:  # type: ignore[type-arg]
                body = ada.post(RECORD_CHECK_IN, {"input": {"goalId": goal_id, "progress": 40}}).json()
                return None if "errors" in body else body["data"]["recordCheckIn"]

            accepted.append(wait_until(check_in_again, 60, lambda: pipeline["api"].log()))
            last = accepted[-1]["sequence"]
            wait_until(lambda: "errors" not in ada.post(GOAL, {"id": goal_id, "consistency": last}).json(), RECOVERY_S,
                       lambda: pipeline["projector"].log() + pipeline["relay"].log())
            assert_nothing_half_stored(settings, goal_id, accepted)
            goal = ada.goal(goal_id)
            assert goal is not None and goal["progress"] == 40


def assert_nothing_half_stored(settings: Settings, goal_id: str, accepted: list[dict]) -> None:  # type: ignore[type-arg]
    with psycopg.connect(settings.database_url) as conn:
        versions = [r[0] for r in conn.execute(
            "SELECT originator_version FROM momentum_events WHERE originator_id = %s ORDER BY 1", (goal_id,)
        ).fetchall()]
        projected = conn.execute("SELECT check_in_count FROM goals WHERE id = %s", (goal_id,)).fetchone()
    assert versions == list(range(1, len(versions) + 1)), "contiguous versions"
    assert {a["version"] for a in accepted} <= set(versions), "every accepted command is stored"
    assert projected is not None and projected[0] == len(versions) - 1, "the read model has every check-in"
