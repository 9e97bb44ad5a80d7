"""Crypto-shredding: a private goal's description is sealed in the store and on the topic, clear
only to those the API lets read it; `momentum people erase` makes it unreadable everywhere while
the stored history stays byte for byte what it was."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import psycopg

from bootstrap import build_momentum
from contracts.privacy import REDACTED, context_of, is_sealed, open_sealed
from eventstore.keys import read_keys
from settings import Settings
from tests.e2e.client import GraphQL, build_feedback_org, metric, mutate
from tests.stack import Process, read_topic, run_cli, wait_until

CACHE_DROPS = "momentum_aggregate_cache_drops_total"
DESCRIPTION = "query($id: ID!, $c: Int) { goal(id: $id, consistency: $c) { description } }"


def stored_rows(settings: Settings) -> list[tuple[Any, ...]]:
    with psycopg.connect(settings.database_url) as conn:
        return conn.execute(
            "SELECT originator_id, originator_version, topic, state FROM momentum_events ORDER BY notification_id"
        ).fetchall()


def description(client: GraphQL, goal_id: str, sequence: int) -> str:
    return str(client.data(DESCRIPTION, {"id": goal_id, "c": sequence})["goal"]["description"])


def test_erasure_makes_private_content_unreadable_in_store_topic_and_api(
    settings: Settings, pipeline: dict[str, Process]
) -> None:
    ada, admin = GraphQL(settings, "ada"), GraphQL(settings, "root", ("admin",))
    secret, public = f"talk to HR about leaving {uuid4()}", f"open roadmap {uuid4()}"
    private_goal = ada.create_goal("Next step", description=secret, visibility="PRIVATE")
    public_goal = ada.create_goal("Roadmap", description=public)
    last = public_goal["sequence"]
    assert description(ada, private_goal["goalId"], last) == secret  # the owner reads it in clear
    assert description(admin, private_goal["goalId"], last) == secret

    rows_before = stored_rows(settings)
    assert not any(secret.encode() in bytes(row[3]) for row in rows_before)  # sealed in the store
    assert any(public.encode() in bytes(row[3]) for row in rows_before)
    records = wait_until(lambda: (r := read_topic(settings)) and len(r) == 2 and r, 30, "both events on the topic")
    sealed = next(r for r in records if r["subject"] == private_goal["goalId"])["data"]["description"]
    assert is_sealed(sealed) and sealed["kid"] == "ada" and secret not in str(records)  # sealed on the topic

    verified = run_cli(settings, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    erase = run_cli(settings, "people", "erase", "ada")
    assert erase.returncode == 0, erase.stderr

    assert description(ada, private_goal["goalId"], last) == REDACTED  # the API
    assert description(admin, private_goal["goalId"], last) == REDACTED
    assert description(ada, public_goal["goalId"], last) == public
    app = build_momentum(settings)
    try:
        assert app.goals.get_goal(private_goal["goalId"]).description == REDACTED  # the store, read by the application
    finally:
        app.close()
    with psycopg.connect(settings.database_url) as conn:
        keys = read_keys(conn, {"ada"})
    context = context_of(private_goal["goalId"], "description")
    assert keys == {} and open_sealed(sealed, keys.get("ada"), context) == REDACTED  # the topic
    assert stored_rows(settings) == rows_before  # history untouched: the hash chains still verify
    assert read_topic(settings) == records
    verified = run_cli(settings, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    rebuilt = run_cli(settings, "projections", "verify")  # a rebuild from offset 0 equals the live read models
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr


def test_erasing_an_author_shreds_their_private_feedback_but_not_public_feedback(
    settings: Settings, pipeline: dict[str, Process]
) -> None:
    admin, ada, bob = GraphQL(settings, "root", ("admin",)), GraphQL(settings, "ada"), GraphQL(settings, "bob")
    build_feedback_org(admin)
    secret, praise = f"you interrupt people {uuid4()}", f"great demo {uuid4()}"
    private = mutate(ada, "giveFeedback", recipientId="bob", kind="CONSTRUCTIVE",
                   visibility="PRIVATE", text=secret)
    public = mutate(ada, "giveFeedback", recipientId="bob", kind="PRAISE",
                  visibility="PUBLIC", text=praise)
    inbox = "query($c: Int) { feedbackInbox(consistency: $c) { id text } }"

    def texts() -> dict[str, str]:
        return {f["id"]: f["text"] for f in bob.data(inbox, {"c": public["sequence"]})["feedbackInbox"]}

    assert texts() == {private["id"]: secret, public["id"]: praise}
    rows_before = stored_rows(settings)
    assert not any(secret.encode() in bytes(row[3]) for row in rows_before)
    records = wait_until(lambda: [r for r in read_topic(settings) if r["subject"] == private["id"]], 30, "topic")
    assert secret not in str(records) and is_sealed(records[0]["data"]["text"])

    assert run_cli(settings, "people", "erase", "ada").returncode == 0
    assert texts() == {private["id"]: REDACTED, public["id"]: praise}
    assert stored_rows(settings) == rows_before
    verified = run_cli(settings, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_an_api_that_cached_a_goal_before_the_erasure_does_not_restate_the_erased_text(
    settings: Settings, pipeline: dict[str, Process]
) -> None:
    """A goal ada wrote privately now belongs to bob: after ada's erasure, bob's next edit restates
    every detail from the goal the API holds, which must be the erased one, not ada's text that
    the API cached when it opened the goal before."""
    admin, ada, bob = GraphQL(settings, "root", ("admin",)), GraphQL(settings, "ada"), GraphQL(settings, "bob")
    build_feedback_org(admin)
    secret = f"ada's plan to leave {uuid4()}"
    goal = ada.create_goal("Next step", description=secret, visibility="PRIVATE")["goalId"]
    ada.check_in(goal, 10)  # the API now caches the goal, its description opened with ada's key
    mutate(admin, "changeGoalOwner", goalId=goal, ownerId="bob")  # nothing restates the description
    drops = metric(settings, CACHE_DROPS)
    assert run_cli(settings, "people", "erase", "ada").returncode == 0
    wait_until(lambda: metric(settings, CACHE_DROPS) > drops, 30, "the API to hear of the erasure")
    edited = mutate(bob, "changeGoalTitle", goalId=goal, title="Bob's step")  # DetailsChanged restates it
    assert description(bob, goal, edited["sequence"]) == REDACTED
    assert secret not in str(read_topic(settings))
    assert not any(secret.encode() in bytes(row[3]) for row in stored_rows(settings))
