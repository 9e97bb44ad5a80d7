from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from settings import Settings
from tests.stack import CREATED_TOPICS, Process, fresh_database


@pytest.fixture
def settings() -> Iterator[Settings]:
    with fresh_database() as fresh:
        yield fresh


@pytest.fixture
def log_dir(tmp_path: Path) -> Iterator[Path]:
    """Where child processes log; every process started in the test is stopped afterwards,
    even when the test fails half-way, before its database is dropped."""
    yield tmp_path
    while Process.started:
        Process.started.pop().stop()


@pytest.fixture(scope="session", autouse=True)
def every_published_event_matches_its_schema(request: pytest.FixtureRequest) -> Iterator[None]:
    """At the end of the session, every record of every topic the suite created is validated
    against the JSON Schema of its type; an invalid record or an unknown type fails the session."""
    yield
    from tests.schema_check import check_topics

    default = Settings().kafka_bootstrap
    topics = {topic for bootstrap, topic in CREATED_TOPICS if bootstrap == default}  # private brokers are gone
    if not topics:
        return
    report = check_topics(default, topics)
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    summary = (
        f"event schemas: {sum(report.checked.values())} events of {len(report.checked)} types "
        f"in {len(topics)} topics validated"
    )
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(summary)
    problems = "\n".join(report.problems[:50])
    assert not report.problems, f"{len(report.problems)} records break their schema:\n{problems}"
