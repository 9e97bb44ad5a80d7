"""On the real pipeline: an event the folds cannot apply, written straight into the event
store, is parked with its aggregate; every other aggregate's events are applied; /metrics
counts the parked events; `momentum projections quarantine retry` applies them once the
fold can, exactly once, and the aggregate's next events flow again."""

from __future__ import annotations

import psycopg

from bootstrap import build_momentum
from settings import Settings
from tests.e2e.client import GraphQL, metric
from tests.integration.test_quarantine import REFUSED_TITLE, poisoned_goal
from tests.stack import Process, run_cli, scalar, wait_until


def quarantined(settings: Settings) -> float:
    return metric(settings, "momentum_projection_quarantined_events")


def visible(ada: GraphQL, goal_id: str, sequence: int) -> dict[str, object] | None:
    return ada.goal(goal_id, consistency=sequence)


def test_a_poison_event_is_parked_the_rest_flows_and_retry_applies_it(
    settings: Settings, pipeline: dict[str, Process]
) -> None:
    ada = GraphQL(settings, "ada")
    with psycopg.connect(settings.database_url, autocommit=True) as conn:  # a fold that fails, until fixed
        conn.execute(f"ALTER TABLE goals ADD CONSTRAINT refused CHECK (title <> '{REFUSED_TITLE}')")
    refused = ada.create_goal(REFUSED_TITLE)["goalId"]
    ada.check_in(refused, 10)
    app = build_momentum(settings)
    poisoned = poisoned_goal()
    app.save(poisoned)  # straight into the store, past the domain's checks: PostgreSQL cannot hold a NUL
    app.close()
    after = ada.create_goal("After the poison")

    assert visible(ada, after["goalId"], after["sequence"]) is not None, "the other aggregates' events are applied"
    assert visible(ada, refused, after["sequence"]) is None
    assert visible(ada, str(poisoned.id), after["sequence"]) is None
    listing = run_cli(settings, "projections", "quarantine", "list")
    assert listing.returncode == 0, listing.stderr
    parked = [line.split()[0] for line in listing.stdout.splitlines() if not line.startswith(" ")]
    assert parked == sorted([refused, refused, str(poisoned.id)]), listing.stdout
    assert "CheckViolation" in listing.stdout and "NUL" in listing.stdout and "DETAIL" not in listing.stdout
    assert quarantined(settings) == 3

    stored = ada.check_in(refused, 20)  # a later event of a parked aggregate is parked too
    wait_until(lambda: quarantined(settings) == 4, 30, "the later event to be parked")
    still = run_cli(settings, "projections", "quarantine", "retry", refused)
    assert still.returncode == 1 and "0 applied, 3 still parked" in still.stdout, still.stdout + still.stderr

    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE goals DROP CONSTRAINT refused")  # the fold is fixed
    retried = run_cli(settings, "projections", "quarantine", "retry", refused)
    assert retried.returncode == 0 and "3 applied, 0 still parked" in retried.stdout, retried.stdout + retried.stderr
    goal = visible(ada, refused, stored["sequence"])
    assert goal is not None and goal["checkInCount"] == 2 and goal["progress"] == 20
    assert quarantined(settings) == 1

    last = ada.check_in(refused, 30)  # no longer parked: applied at once, and nothing twice
    goal = visible(ada, refused, last["sequence"])
    assert goal is not None and goal["checkInCount"] == 3
    assert scalar(settings, f"SELECT count(*) FROM goal_check_ins WHERE goal_id = '{refused}'") == 3
    assert run_cli(settings, "projections", "quarantine", "retry").returncode == 1, "the NUL still cannot be stored"
    assert quarantined(settings) == 1
