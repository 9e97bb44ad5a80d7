"""`teamEngagement` over the seeded weeks (cadence_scenario), with every count computed by hand
for each viewer: a private goal, private or manager feedback, and a request count only for
whoever may see them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bootstrap import build_momentum
from settings import Settings
from tests.e2e.cadence_scenario import NOW, seed, seed_feedback
from tests.e2e.cadence_scenario import clock as clock  # the fixture
from tests.e2e.client import GraphQL
from tests.stack import fresh_database, wait_until

ENGAGEMENT = """query($team: ID!, $period: String) { teamEngagement(teamId: $team, period: $period) {
  period startsAt endsAt members { personId checkIns { expected made rate }
    feedbackGiven { downward upward peer total } feedbackReceived { downward upward peer }
    requestsAnswered { peer total } feedbackRequested
    kudos { valueId given pointsGiven received pointsReceived } points } } }"""


@pytest.fixture
def settings() -> Iterator[Settings]:
    with fresh_database(clock=NOW, consistency_wait_ms=20000) as fresh:
        yield fresh


@pytest.fixture
def seeded(settings: Settings, pipeline: object, clock: object) -> None:
    app = build_momentum(settings)
    seed(app)
    seed_feedback(app)
    app.close()


def engagement(client: GraphQL, period: str | None = "2027-03") -> dict[str, dict[str, Any]]:
    found = client.data(ENGAGEMENT, {"team": "core", "period": period})["teamEngagement"]
    return {m["personId"]: m for m in found["members"]}


def directions(downward: int = 0, upward: int = 0, peer: int = 0) -> dict[str, int]:
    return {"downward": downward, "upward": upward, "peer": peer}


def feedback_of(member: dict[str, Any]) -> tuple[Any, ...]:
    given = {k: member["feedbackGiven"][k] for k in ("downward", "upward", "peer")}
    return given, member["feedbackReceived"], member["requestsAnswered"]["peer"], member["feedbackRequested"]


KUDOS = {
    "ada": [{"valueId": "craft", "given": 0, "pointsGiven": 0, "received": 1, "pointsReceived": 3},
            {"valueId": "ownership", "given": 1, "pointsGiven": 10, "received": 1, "pointsReceived": 10}],
    "bob": [{"valueId": "ownership", "given": 1, "pointsGiven": 10, "received": 1, "pointsReceived": 5}],
    "maya": [{"valueId": "craft", "given": 1, "pointsGiven": 3, "received": 0, "pointsReceived": 0},
             {"valueId": "ownership", "given": 0, "pointsGiven": 0, "received": 1, "pointsReceived": 5}],
}
POINTS = {"ada": 30, "bob": 9, "maya": 7}  # 5 a day with a check-in, 2 a day with feedback given, 1 a kudos point


def test_engagement_counts_what_each_viewer_may_see(settings: Settings, seeded: None) -> None:
    ada, bob, maya, eve = (GraphQL(settings, p) for p in ("ada", "bob", "maya", "eve"))
    admin = GraphQL(settings, "root", ("admin",))
    wait_until(lambda: engagement(ada)["ada"]["kudos"] == KUDOS["ada"], 60, "the seeded month to be projected")

    as_ada = engagement(ada)
    assert sorted(as_ada) == ["ada", "bob", "maya"]
    assert as_ada["ada"]["checkIns"] == {"expected": 10, "made": 4, "rate": 0.4}  # with her private goal
    assert as_ada["bob"]["checkIns"] == {"expected": 4, "made": 0, "rate": 0.0}
    assert as_ada["maya"]["checkIns"] == {"expected": 0, "made": 0, "rate": None}
    assert feedback_of(as_ada["ada"]) == (directions(upward=1, peer=1), directions(downward=1, peer=3), 0, 1)
    assert feedback_of(as_ada["bob"]) == (directions(peer=2), directions(peer=1), 1, 0)
    assert feedback_of(as_ada["maya"]) == (directions(downward=1), directions(upward=1), 0, 0)

    as_maya = engagement(maya)  # her reports' manager: their private goals, manager feedback; not bob's private answer
    assert as_maya["ada"]["checkIns"] == {"expected": 10, "made": 4, "rate": 0.4}
    assert feedback_of(as_maya["ada"]) == (directions(upward=1, peer=1), directions(downward=1, peer=2), 0, 1)
    assert feedback_of(as_maya["bob"]) == (directions(peer=1), directions(peer=1), 0, 0)

    as_bob = engagement(bob)  # ada's private goal and maya's private feedback to her are in no number of his
    assert as_bob["ada"]["checkIns"] == {"expected": 6, "made": 3, "rate": 0.5}
    assert feedback_of(as_bob["ada"]) == (directions(peer=1), directions(peer=3), 0, 1)
    assert feedback_of(as_bob["bob"]) == (directions(peer=2), directions(peer=1), 1, 0)
    assert feedback_of(as_bob["maya"]) == (directions(), directions(), 0, 0)

    for outsider in (eve, admin):  # admins see no private or manager feedback either
        seen = engagement(outsider)
        assert feedback_of(seen["ada"]) == (directions(peer=1), directions(peer=1), 0, 0)
        assert feedback_of(seen["bob"]) == (directions(), directions(peer=1), 0, 0)
        assert feedback_of(seen["maya"]) == (directions(), directions(), 0, 0)
    assert engagement(eve)["ada"]["checkIns"] == {"expected": 6, "made": 3, "rate": 0.5}
    assert engagement(admin)["ada"]["checkIns"] == {"expected": 10, "made": 4, "rate": 0.4}

    for viewer in (ada, bob, eve):  # kudos and points are public
        seen = engagement(viewer)
        assert {p: m["kudos"] for p, m in seen.items()} == KUDOS
        assert {p: m["points"] for p, m in seen.items()} == POINTS
    assert engagement(ada, None) == as_ada  # MOMENTUM_CLOCK is in March 2027
    february = engagement(ada, "2027-02")
    assert feedback_of(february["ada"]) == (directions(peer=1), directions(), 0, 0)


def test_bad_arguments_are_refused_with_a_type(settings: Settings, pipeline: object) -> None:
    ada = GraphQL(settings, "ada")
    for variables, code in (({"team": "nope", "period": None}, "NOT_FOUND"),
                            ({"team": "x" * 5000, "period": None}, "NOT_FOUND"),
                            ({"team": "core", "period": "2027-13"}, "VALIDATION"),
                            ({"team": "core", "period": "9999"}, "VALIDATION"),
                            ({"team": "core", "period": "2027-03\n"}, "VALIDATION"),  # the whole key, nothing after
                            ({"team": "core", "period": "\uff12\uff10\uff12\uff17-03"}, "VALIDATION")):  # ASCII digits
        errors = ada.post(ENGAGEMENT, variables).json()["errors"]
        assert [e["extensions"]["code"] for e in errors] == [code], errors
