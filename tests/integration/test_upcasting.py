"""cycle.Created v2 added `timezone`, the goal events v2 `private_to`: v1 events already in the store
and in the topic read as v2, and a chained v1 event still verifies."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import uuid4

import psycopg
from eventsourcing.persistence import StoredEvent
from kafka import KafkaProducer

from bootstrap import build_momentum
from consumers.chain_verify import verify_store
from consumers.topic import ensure_topic
from contracts.chain import digest
from contracts.envelope import dataschema, encode, event_id, event_type, to_envelope
from domain.cycle import Cycle
from domain.goal import Goal
from settings import Settings
from tests.stack import Process, read_topic, running, wait_until


def store_v1_cycle(settings: Settings) -> str:
    """Writes the row a v1 release would have written: no class_version, no timezone."""
    app = build_momentum(settings)
    try:
        created = Cycle.create(name="2026-Q4", starts_on="2026-10-01", ends_on="2026-12-31", actor="root")
        created_event = created.collect_events()[0]
        stored = app.mapper.to_stored_event(created_event)
        state = app.mapper.transcoder.decode(stored.state)
        del state["class_version"], state["timezone"]
        v1 = StoredEvent(stored.originator_id, 1, stored.topic, app.mapper.transcoder.encode(state))
        as_written = to_envelope(created_event, 0, "")  # the chain digest a v1 release would have stored
        as_written["type"] = "momentum.cycle.Created.v1"
        del as_written["data"]["timezone"]
        app.recorder.insert_events([v1], digests=[digest(as_written)])
        return str(stored.originator_id)
    finally:
        app.close()


def test_a_stored_v1_event_is_read_as_v2_by_the_application_and_published_as_v2(
    settings: Settings, log_dir: Path
) -> None:
    cycle_id = store_v1_cycle(settings)
    with psycopg.connect(settings.database_url) as conn:
        row = conn.execute("SELECT state FROM momentum_events WHERE originator_id = %s", (cycle_id,)).fetchone()
    assert row is not None and "timezone" not in json.loads(bytes(row[0]))

    app = build_momentum(settings)
    try:
        cycle = app.cycles.get_cycle(cycle_id)
    finally:
        app.close()
    assert (cycle.name, cycle.timezone) == ("2026-Q4", "UTC")

    with running(Process("relay", settings, log_dir)):
        records = wait_until(lambda: read_topic(settings), 30, "the relay to publish the v1 event")
    (record,) = records
    assert record["type"] == "momentum.cycle.Created.v2" and record["dataschema"] == dataschema(record["type"])
    assert record["data"] == {"name": "2026-Q4", "starts_on": "2026-10-01", "ends_on": "2026-12-31", "timezone": "UTC"}


def test_a_v1_envelope_already_in_the_topic_is_projected_as_v2(settings: Settings, log_dir: Path) -> None:
    ensure_topic(settings.kafka_bootstrap, settings.kafka_topic, settings.kafka_partitions)
    subject = uuid4()
    v1 = {
        "specversion": "1.0", "id": str(event_id(subject, 1)), "source": settings.event_source,
        "type": "momentum.cycle.Created.v1", "dataschema": dataschema("momentum.cycle.Created.v1"),
        "subject": str(subject), "time": "2026-11-01T09:00:00Z", "datacontenttype": "application/json",
        "data": {"name": "2026-Q4", "starts_on": "2026-10-01", "ends_on": "2026-12-31"},
        "sequence": 1, "aggregateversion": 1, "actor": "root",
    }
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    producer.send(settings.kafka_topic, key=str(subject).encode(), value=encode(v1),
                  headers=[("sequence", b"1"), ("type", v1["type"].encode())]).get(timeout=30)
    producer.close()

    def projected() -> tuple[str, str] | None:
        try:
            with psycopg.connect(settings.database_url) as conn:
                return conn.execute(  # type: ignore[return-value]
                    "SELECT name, timezone FROM cycles WHERE aggregate_id = %s", (subject,)
                ).fetchone()
        except psycopg.errors.UndefinedTable:
            return None

    projector = Process("projector", settings, log_dir)
    with running(projector):
        row = wait_until(projected, 60, lambda: "the projector to apply the v1 envelope\n" + projector.log())
    assert row == ("2026-Q4", "UTC")


def store_v1_goal(settings: Settings) -> str:
    """The rows and chain links a v1 release wrote for a goal created and edited: no class_version,
    no private_to, digests over the v1 envelopes."""
    app = build_momentum(settings)
    try:
        goal = Goal.create(title="Old goal", owner_id="ada", actor="ada", description="as it was")
        goal.edit(actor="ada", description="edited in v1", reason="v1 times")
        rows, digests = [], []
        for event in goal.collect_events():
            stored = app.mapper.to_stored_event(event)
            state = app.mapper.transcoder.decode(stored.state)
            del state["class_version"], state["private_to"]
            rows.append(StoredEvent(stored.originator_id, stored.originator_version, stored.topic,
                                    app.mapper.transcoder.encode(state)))
            as_written = to_envelope(event, 0, "")
            as_written["type"] = as_written["type"].replace(".v2", ".v1")
            del as_written["data"]["private_to"]
            digests.append(digest(as_written))
        app.recorder.insert_events(rows, digests=digests)
        return str(goal.id)
    finally:
        app.close()


def test_stored_v1_goal_events_read_as_v2_and_their_chain_still_verifies(settings: Settings) -> None:
    goal_id = store_v1_goal(settings)
    app = build_momentum(settings)
    try:
        goal = app.goals.get_goal(goal_id)
        events = list(app.repository.event_store.get(goal.id))
        report = verify_store(app, settings)
    finally:
        app.close()
    assert (goal.title, goal.description, goal.text_owners) == ("Old goal", "edited in v1", {
        "title": None, "description": None})
    assert [event_type(e) for e in events] == ["momentum.goal.Created.v2", "momentum.goal.DetailsChanged.v2"]
    assert [vars(e)["private_to"] for e in events] == [None, None]
    assert report.intact and report.events == 2, report.first_break  # digested as written, not as upcast
