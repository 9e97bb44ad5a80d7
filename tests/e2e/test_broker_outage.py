"""Stop the real broker: writes keep succeeding, and once it is back nothing is missing."""

from __future__ import annotations

import subprocess
import time

import psycopg

from settings import Settings
from tests.e2e.client import GOAL, GraphQL
from tests.stack import ROOT, Process, read_topic, wait_until


def services(command: str) -> None:
    subprocess.run(["bash", str(ROOT / "scripts" / "services.sh"), command], check=True, capture_output=True)


def stored_sequences(settings: Settings) -> list[int]:
    with psycopg.connect(settings.database_url) as conn:
        rows = conn.execute("SELECT notification_id FROM momentum_events ORDER BY 1").fetchall()
    return [r[0] for r in rows]


def test_writes_succeed_while_the_broker_is_down_and_everything_catches_up(
    settings: Settings, pipeline: dict[str, Process]
) -> None:
    ada = GraphQL(settings, "ada")
    goal_ids = [ada.create_goal(f"Outage {i}")["goalId"] for i in range(4)]
    live = ada.check_in(goal_ids[0], 5)
    assert ada.goal(goal_ids[0], consistency=live["sequence"]) is not None

    services("kafka-down")
    try:
        written = [ada.check_in(goal_id, 10 * round_) for round_ in range(1, 6) for goal_id in goal_ids]
        time.sleep(2)  # the relay and the projector notice the outage meanwhile
        written += [ada.check_in(goal_id, 99, note="during outage") for goal_id in goal_ids]
    finally:
        services("kafka-up")

    last = max(w["sequence"] for w in written)

    def caught_up() -> bool:
        body = ada.post(GOAL, {"id": goal_ids[-1], "consistency": last}).json()
        return "errors" not in body

    wait_until(caught_up, 120, lambda: "the read model to catch up\n" + pipeline["relay"].log())
    for goal_id in goal_ids:
        goal = ada.goal(goal_id)
        assert goal is not None and goal["progress"] == 99 and goal["checkInCount"] == 6 + (goal_id == goal_ids[0])
    found = sorted(r["sequence"] for r in read_topic(settings))
    assert found == stored_sequences(settings)
