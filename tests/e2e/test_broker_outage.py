"""Stop a real broker: writes keep succeeding, and once it is back nothing is missing."""

from __future__ import annotations

import time
from pathlib import Path

from settings import Settings
from tests.e2e.client import GOAL, GraphQL
from tests.e2e.conftest import running_pipeline
from tests.private_services import PrivateService, private_kafka
from tests.stack import Process, drop_database, fresh_settings, read_topic, stored_sequences, wait_until


def test_writes_succeed_while_the_broker_is_down_and_everything_catches_up(tmp_path: Path, log_dir: Path) -> None:
    with private_kafka(tmp_path / "state") as (broker, bootstrap):
        settings = fresh_settings(kafka_bootstrap=bootstrap)
        try:
            with running_pipeline(settings, log_dir) as pipeline:
                check_outage(settings, broker, pipeline)
        finally:
            drop_database(settings)


def check_outage(settings: Settings, broker: PrivateService, pipeline: dict[str, Process]) -> None:
    ada = GraphQL(settings, "ada")
    goal_ids = [ada.create_goal(f"Outage {i}")["goalId"] for i in range(4)]
    live = ada.check_in(goal_ids[0], 5)
    assert ada.goal(goal_ids[0], consistency=live["sequence"]) is not None

    broker.stop()  # checks that the port no longer accepts connections
    try:
        written = [ada.check_in(goal_id, 10 * round_) for round_ in range(1, 6) for goal_id in goal_ids]
        time.sleep(3)  # the relay and the projector run into the outage meanwhile
        written += [ada.check_in(goal_id, 99, note="during outage") for goal_id in goal_ids]
    finally:
        broker.start()

    last = max(w["sequence"] for w in written)

    def caught_up() -> bool:
        body = ada.post(GOAL, {"id": goal_ids[-1], "consistency": last}).json()
        return "errors" not in body

    wait_until(caught_up, 120, lambda: "the read model to catch up\n" + pipeline["relay"].log())
    found = sorted(r["sequence"] for r in read_topic(settings))
    assert found == stored_sequences(settings)
    counts = {goal_id: (goal or {}).get("checkInCount") for goal_id in goal_ids for goal in [ada.goal(goal_id)]}
    assert counts == {goal_id: 7 if goal_id == goal_ids[0] else 6 for goal_id in goal_ids}
    assert all((ada.goal(goal_id) or {}).get("progress") == 99 for goal_id in goal_ids)
