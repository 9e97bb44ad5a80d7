"""The CloudEvents Java SDK reads every record the relay publishes, and each event's data is
valid against its published JSON Schema (examples/java-consumer/, built by `make examples`)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from kafka import KafkaProducer

from application.identity import Actor
from bootstrap import build_momentum
from contracts.envelope import encode
from settings import Settings
from tests.integration.scenario import Clock, clock, seed  # noqa: F401 - clock is a fixture
from tests.stack import ROOT, Process, read_topic, running, wait_until

JAR = ROOT / "examples" / "java-consumer" / "target" / "momentum-java-consumer.jar"
SUMMARY = re.compile(r"^summary: records=(\d+) valid=(\d+) failures=(\d+) types=(\d+)$", re.MULTILINE)


def validate_topic(settings: Settings, schemas: Path = ROOT / "docs" / "events") -> tuple[int, ...]:
    """(records, valid, failures, types, exit code) of a run of the Java consumer."""
    assert JAR.exists(), f"{JAR} is missing: run `make examples`"
    run = subprocess.run(
        ["java", "-jar", str(JAR), settings.kafka_bootstrap, settings.kafka_topic, str(schemas)],
        capture_output=True, text=True, timeout=300,
    )
    found = SUMMARY.search(run.stdout)
    assert found, run.stdout + run.stderr
    print(run.stdout, run.stderr)
    return (*map(int, found.groups()), run.returncode)


def more_kinds_of_events(settings: Settings) -> None:
    """Beyond the seeded month: sealed private fields, a declined request, a closed cycle."""
    app = build_momentum(settings)
    ada, bob = Actor("ada"), Actor("bob")
    app.feedback.give_feedback(
        ada, recipient_id="bob", kind="constructive", visibility="private", text="sealed for bob"
    )
    request = str(app.feedback.request_feedback(ada, respondent_ids=["bob"], question="How did I do?").aggregate_id)
    app.feedback.decline_feedback_request(bob, request, reason="too busy")
    app.goals.create_goal(ada, title="Secret", description="only mine", visibility="private")
    app.close()


def test_the_java_sdk_reads_every_record_and_every_data_matches_its_schema(
    settings: Settings, log_dir: Path, clock: type[Clock]  # noqa: F811
) -> None:
    app = build_momentum(settings)
    seed(app)
    app.close()
    more_kinds_of_events(settings)
    with running(Process("relay", settings, log_dir)):
        stored = build_momentum(settings)
        total = stored.recorder.max_notification_id()
        stored.close()
        published = wait_until(lambda: (r := read_topic(settings)) and len(r) == total and r, 60,
                               "the relay to publish every stored event")
    types = Counter(record["type"] for record in published)
    assert len(types) >= 15 and any("sealed" in str(r["data"]) for r in published)

    assert validate_topic(settings) == (len(published), len(published), 0, len(types), 0)


def test_the_java_consumer_fails_on_an_unreadable_record_and_on_invalid_data(
    settings: Settings, log_dir: Path, tmp_path: Path
) -> None:
    """A record without content-type (the SDK takes it for binary mode) cannot be read; data
    that its schema does not allow is invalid: both are failures, and the exit code says so."""
    app = build_momentum(settings)
    app.goals.create_goal(Actor("ada"), title="Fine")
    app.close()
    with running(Process("relay", settings, log_dir)):
        wait_until(lambda: len(read_topic(settings)) == 1, 30, "one event on the topic")
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    first = read_topic(settings)[0]
    envelope = {k: v for k, v in first.items() if not k.startswith("_")}
    producer.send(settings.kafka_topic, key=first["_key"], value=encode(envelope),
                  headers=[("sequence", b"1"), ("type", envelope["type"].encode())]).get(timeout=30)
    producer.close()

    assert validate_topic(settings) == (2, 1, 1, 1, 1)

    stricter = tmp_path / "events"
    shutil.copytree(ROOT / "docs" / "events", stricter)
    created = stricter / f"{envelope['type']}.json"  # the schema the record names
    schema = json.loads(created.read_text())
    schema["properties"]["data"]["required"].append("budget")
    created.write_text(json.dumps(schema))
    assert validate_topic(settings, stricter) == (2, 0, 2, 1, 1)
