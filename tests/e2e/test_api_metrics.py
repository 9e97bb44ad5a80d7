"""/metrics in Prometheus text format on the real stack: request latency, errors by code,
relay lag and projector lag per partition."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from settings import Settings
from tests.e2e.client import GraphQL, metrics
from tests.stack import Process, drop_database, fresh_settings, wait_until


@pytest.fixture
def settings() -> Iterator[Settings]:
    """Read-your-writes may wait longer here: a loaded machine can keep the projector seconds behind."""
    fresh = fresh_settings(consistency_wait_ms=20000)
    yield fresh
    drop_database(fresh)


def test_metrics_report_latency_errors_and_both_lags(settings: Settings, pipeline: dict[str, Process]) -> None:
    ada = GraphQL(settings, "ada")
    written = ada.create_goal("Measured")
    assert ada.goal(written["goalId"], consistency=written["sequence"]) is not None
    ada.post("mutation { createGoal(input: {title: \"\"}) { goalId } }")
    httpx.post(ada.url, json={"query": "{ me { id } }"})  # no token

    found = metrics(settings)

    graphql_posts = ("momentum_http_request_duration_seconds_count", (("method", "POST"), ("route", "/graphql")))
    assert found[graphql_posts] >= 4
    assert ("momentum_http_request_duration_seconds_bucket",
            (("le", "0.05"), ("method", "POST"), ("route", "/graphql"))) in found
    assert found[("momentum_errors_total", (("code", "VALIDATION"),))] == 1
    assert found[("momentum_errors_total", (("code", "UNAUTHENTICATED"),))] == 1
    partitions = {labels for name, labels in found if name == "momentum_projector_lag_sequences"}
    assert partitions == {(("partition", str(p)),) for p in range(settings.kafka_partitions)}

    # the lags are what the pipeline has not done yet: a goal stored while the relay is stopped
    # is one event behind on the topic; once relayed while the projector is stopped, every
    # partition's read models are behind the topic
    relay_lag = ("momentum_relay_lag_events", ())
    pipeline["relay"].stop()
    ada.create_goal("Stored, not yet relayed")
    assert metrics(settings)[relay_lag] == 1
    pipeline["projector"].stop()
    pipeline["relay"].start()
    wait_until(lambda: metrics(settings)[relay_lag] == 0, 60, "the relay to publish the goal")
    behind = metrics(settings)
    assert all(behind[("momentum_projector_lag_sequences", p)] >= 1 for p in partitions)


def test_metrics_report_the_latency_of_every_hop_of_the_pipeline(
    settings: Settings, pipeline: dict[str, Process]
) -> None:
    ada = GraphQL(settings, "ada")
    written = ada.create_goal("Timed")
    assert ada.goal(written["goalId"], consistency=written["sequence"]) is not None
    hops = {f"{h}": ("momentum_pipeline_latency_seconds_count", (("hop", h),))
            for h in ("relay_wakeup", "relay_transaction", "relay_to_projector", "projector_batch")}
    api_side = {name: (name, ()) for name in ("momentum_read_model_notice_delay_seconds_count",
                                             "momentum_event_freshness_seconds_count",
                                             "momentum_consistency_wait_seconds_count")}
    wanted = {**hops, **api_side}

    def all_counted() -> dict[str, float] | None:
        found = metrics(settings)
        counted = {name: found.get(sample, 0) for name, sample in wanted.items()}
        if not counted["relay_wakeup"]:
            # a NOTIFY that arrives while the relay is not waiting (it is reading or beating) wakes
            # nothing: its events are read by the next loop anyway; write until one wakes it
            ada.create_goal("Timed again")
            time.sleep(0.5)
        return counted if all(counted.values()) else None

    # the relay and the projector add their figures to PostgreSQL about once a second
    wait_until(all_counted, 60, lambda: f"every hop counted: {metrics(settings)}")
    pipeline["relay"].stop()
    pipeline["projector"].stop()  # their rows of pipeline_latencies change no more
    with psycopg.connect(settings.database_url) as conn:
        stored = conn.execute("SELECT hop, bucket_counts, sum_seconds, count FROM pipeline_latencies").fetchall()
    found = metrics(settings)
    assert {hop for hop, *_ in stored} == set(hops)
    for hop, counts, total, count in stored:  # each bucket counts the observations up to its bound
        buckets = sorted((float(dict(labels)["le"]), value) for (name, labels), value in found.items()
                         if name == "momentum_pipeline_latency_seconds_bucket" and dict(labels)["hop"] == hop)
        assert [value for _, value in buckets] == [sum(counts[:i + 1]) for i in range(len(counts))], hop
        assert buckets[-1] == (float("inf"), count), hop
        assert found[("momentum_pipeline_latency_seconds_sum", (("hop", hop),))] == pytest.approx(total), hop
    assert found[("momentum_event_freshness_seconds_sum", ())] > 0
