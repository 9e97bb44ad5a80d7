"""GraphQL → event store → relay → Kafka → projector → read model → GraphQL, on real services."""

from __future__ import annotations

from settings import Settings
from tests.e2e.client import GraphQL
from tests.stack import Process, read_topic, wait_until


def test_a_goal_travels_the_whole_pipeline_and_reads_back(
    settings: Settings, pipeline: dict[str, Process]
) -> None:
    ada = GraphQL(settings, "ada")
    created = ada.create_goal("Ship v1", description="first release")
    goal_id = created["goalId"]
    checked = ada.check_in(goal_id, 42.5, confidence=7, note="on track", blockers="none")
    assert (created["version"], checked["version"]) == (1, 2)
    assert created["sequence"] < checked["sequence"]

    goal = ada.goal(goal_id, consistency=checked["sequence"])
    assert goal is not None, pipeline["projector"].log()
    assert goal["title"] == "Ship v1" and goal["ownerId"] == "ada" and goal["status"] == "DRAFT"
    assert (goal["progress"], goal["confidence"], goal["checkInCount"]) == (42.5, 7, 1)
    assert (goal["version"], goal["sequence"]) == (2, checked["sequence"])
    assert goal["checkIns"] == [
        {"version": 2, "progress": 42.5, "confidence": 7, "note": "on track", "actor": "ada",
         "sequence": checked["sequence"]}
    ]

    records = wait_until(lambda: [r for r in read_topic(settings) if r["subject"] == goal_id], 20, "topic")
    assert [r["type"] for r in records] == ["momentum.goal.Created.v2", "momentum.goal.CheckInRecorded.v2"]
    created_event, check_in_event = records
    assert {r["_key"] for r in records} == {goal_id.encode()}
    assert len({r["_partition"] for r in records}) == 1
    for record, written in ((created_event, created), (check_in_event, checked)):
        assert record["specversion"] == "1.0" and record["datacontenttype"] == "application/json"
        assert record["source"] == settings.event_source and record["actor"] == "ada"
        assert (record["sequence"], record["aggregateversion"]) == (written["sequence"], written["version"])
        assert record["time"].endswith("Z") and len(record["id"]) == 36
    assert created_event["data"]["title"] == "Ship v1" and created_event["data"]["owner_id"] == "ada"
    assert check_in_event["data"] == {"progress": 42.5, "confidence": 7, "note": "on track", "blockers": "none",
                                     "private_to": None}


def test_the_caller_reads_its_own_write_with_the_returned_sequence(
    settings: Settings, pipeline: dict[str, Process]
) -> None:
    ada = GraphQL(settings, "ada")
    goal_id = ada.create_goal("Read my writes")["goalId"]
    for progress in range(1, 11):
        written = ada.check_in(goal_id, progress * 10)
        goal = ada.goal(goal_id, consistency=written["sequence"])
        assert goal is not None and goal["progress"] == progress * 10 and goal["version"] == written["version"]


def test_the_consistency_header_works_like_the_argument(
    settings: Settings, pipeline: dict[str, Process]
) -> None:
    ada = GraphQL(settings, "ada")
    written = ada.create_goal("Header")
    query = "query($id: ID!) { goal(id: $id) { title } }"
    body = ada.post(query, {"id": written["goalId"]}, **{"X-Momentum-Consistency": str(written["sequence"])}).json()
    assert body == {"data": {"goal": {"title": "Header"}}}
