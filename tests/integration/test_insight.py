"""Pace, health and progress over time on a cycle seeded over seven simulated weeks, read
in-process from the read models: statuses, health counts, the team and cycle series against
goalTreeAsOf at the same moments, and the privacy of every new field for every viewer."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest

from application.identity import Actor
from application.momentum import Momentum
from settings import Settings
from tests.integration.insight_scenario import (
    CYCLE_START,
    HEALTH,
    MISSING,
    NOW,
    STALE,
    Clock,
    Seeded,
    expected_point,
    seed,
    tree_nodes,
)
from tests.integration.insight_scenario import clock as clock  # the fixture
from tests.integration.org import ADA, ADMIN, BOB, EVE, MAYA
from tests.integration.readside import envelopes, project, query

AUDITOR = Actor("audrey", frozenset({"auditor"}))
ZED = Actor("zed")  # signed in, not in the directory
VIEWERS = {"admin": ADMIN, "maya": MAYA, "ada": ADA, "bob": BOB, "eve": EVE, "zed": ZED}
TEAM_OF = {"ada": "core", "bob": "core", "maya": "core", "eve": "ops"}
HEALTH_FIELDS = "goals onTrack atRisk offTrack notStarted done stale missingCheckIns expectedProgress"
CYCLE_HEALTH = f"query($c: ID!, $t: ID) {{ cycleHealth(cycleId: $c, teamId: $t) {{ {HEALTH_FIELDS} }} }}"
GOAL = "query($id: ID!) { goal(id: $id) { id expectedProgress health } }"
SERIES = """query($g: ID, $c: ID, $t: ID, $from: DateTime!, $to: DateTime!, $b: HistoryBucket!) {
  progressHistory(goalId: $g, cycleId: $c, teamId: $t, from: $from, to: $to, bucket: $b) {
    at progress confidence expectedPace } }"""
TREE = """query($c: ID!, $at: DateTime!) { goalTreeAsOf(cycleId: $c, at: $at) { ...node
  children { ...node children { ...node } } } }
fragment node on GoalAsOfNode { progress goal { id parentId weight rollsUp status confidence ownerKind ownerId } }"""


@pytest.fixture
def seeded(momentum: Momentum, settings: Settings, clock: type[Clock]) -> tuple[Seeded, Settings]:
    found = seed(momentum)
    project(settings, envelopes(momentum, settings))
    return found, settings.model_copy(update={"clock": NOW})


def ask(settings: Settings, app: Momentum, text: str, actor: Actor, **variables: Any) -> Any:
    result = query(settings, app, text, actor, **variables)
    assert result.errors is None, result.errors
    return result.data


def refusal(settings: Settings, app: Momentum, text: str, actor: Actor, **variables: Any) -> str:
    result = query(settings, app, text, actor, **variables)
    assert result.errors is not None and len(result.errors) == 1, result
    code: str = result.errors[0].extensions["code"]
    return code


def visible_to(settings: Settings, app: Momentum, world: Seeded, actor: Actor) -> set[str]:
    return {name for name, goal in world.goals.items()
            if ask(settings, app, GOAL, actor, id=goal)["goal"] is not None}


def pace_on(moment: datetime) -> float:
    return round(100 * (moment - CYCLE_START) / timedelta(days=90), 4)


def test_each_goal_has_its_pace_and_health(momentum: Momentum, seeded: tuple[Seeded, Settings]) -> None:
    world, settings = seeded
    for name, goal in world.goals.items():
        found = ask(settings, momentum, GOAL, ADMIN, id=goal)["goal"]
        assert found["expectedProgress"] == 50.0
        assert found["health"] == (None if HEALTH[name] is None else HEALTH[name].upper()), name


def test_cycle_health_counts_only_the_goals_each_viewer_may_see(
    momentum: Momentum, seeded: tuple[Seeded, Settings]
) -> None:
    world, settings = seeded
    for who, actor in VIEWERS.items():
        seen = visible_to(settings, momentum, world, actor)
        for team in (None, "core", "ops"):
            mine = {n for n in seen if HEALTH[n] is not None and (team is None or _team(n) == team)}
            by_health = Counter(HEALTH[n] for n in mine)
            found = ask(settings, momentum, CYCLE_HEALTH, actor, c=world.cycle, t=team)["cycleHealth"]
            assert found == {
                "goals": len(mine), "onTrack": by_health["on_track"], "atRisk": by_health["at_risk"],
                "offTrack": by_health["off_track"], "notStarted": by_health["not_started"], "done": by_health["done"],
                "stale": len(mine & STALE), "missingCheckIns": len(mine & MISSING), "expectedProgress": 50.0,
            }, (who, team)
    assert visible_to(settings, momentum, world, EVE) == set(HEALTH) - {"bob", "bob_private"}
    assert visible_to(settings, momentum, world, ADA) == set(HEALTH) - {"bob_private"}


def _team(name: str) -> str:
    return "core" if name == "core" else TEAM_OF[name.split("_")[0]]


def test_team_and_cycle_series_equal_goal_tree_as_of_for_every_viewer(
    momentum: Momentum, seeded: tuple[Seeded, Settings]
) -> None:
    world, settings = seeded
    moments = [CYCLE_START - timedelta(days=1) + k * timedelta(days=7) for k in range(8)]
    trees = [ask(settings, momentum, TREE, AUDITOR, c=world.cycle, at=m.isoformat())["goalTreeAsOf"] for m in moments]
    names = {goal: name for name, goal in world.goals.items()}
    for who, actor in VIEWERS.items():
        seen = visible_to(settings, momentum, world, actor)
        for team in (None, "core", "ops"):
            points = ask(settings, momentum, SERIES, actor, c=world.cycle, t=team, b="WEEK",
                         **{"from": moments[0].isoformat(), "to": moments[-1].isoformat()})["progressHistory"]
            assert [datetime.fromisoformat(p["at"]) for p in points] == moments
            for point, tree, moment in zip(points, trees, moments, strict=True):
                ids = {g for g, n in names.items() if n in seen and (team is None or _team(n) == team)}
                progress, confidence = expected_point(tree, ids)
                assert point["progress"] == pytest.approx(progress, abs=1e-3), (who, team, moment)
                assert point["confidence"] == pytest.approx(confidence, abs=1e-3), (who, team, moment)
                assert point["expectedPace"] == pytest.approx(max(pace_on(moment), 0.0)), moment
    last = ask(settings, momentum, SERIES, ADMIN, c=world.cycle, t="core", b="DAY",
               **{"from": NOW.isoformat(), "to": NOW.isoformat()})["progressHistory"]
    # core (weight 2) 35 %, bob_private 40 %, ada_done 60 %, ada_new 0 %
    assert last == [{"at": NOW.isoformat(), "progress": pytest.approx((2 * 35 + 40 + 60 + 0) / 5),
                     "confidence": pytest.approx((2 * 9 + 4 + 9) / 4), "expectedPace": 50.0}]


def test_a_goal_series_equals_the_goal_in_goal_tree_as_of(momentum: Momentum, seeded: tuple[Seeded, Settings]) -> None:
    world, settings = seeded
    start, end = "2027-01-08T10:00:00+00:00", "2027-02-12T10:00:00+00:00"
    for name in ("core", "ada", "bob"):
        points = ask(settings, momentum, SERIES, MAYA, g=world.goals[name], b="DAY",
                     **{"from": start, "to": end})["progressHistory"]
        assert len(points) == 36
        for point in points[::5]:
            tree = ask(settings, momentum, TREE, AUDITOR, c=world.cycle, at=point["at"])["goalTreeAsOf"]
            (node,) = [n for n in tree_nodes(tree) if n["goal"]["id"] == world.goals[name]]
            assert (point["progress"], point["confidence"]) == (node["progress"], node["goal"]["confidence"])
    ada = ask(settings, momentum, SERIES, ADA, g=world.goals["ada"], b="WEEK",
              **{"from": "2026-12-25T00:00:00Z", "to": "2027-01-15T10:00:00Z"})["progressHistory"]
    assert [(p["progress"], p["confidence"]) for p in ada] == [(None, None), (None, None), (0.0, None), (10.0, 7)]


def test_every_new_field_hides_goals_the_viewer_may_not_see(
    momentum: Momentum, seeded: tuple[Seeded, Settings]
) -> None:
    world, settings = seeded
    window = {"from": "2027-01-01T00:00:00Z", "to": "2027-02-01T00:00:00Z", "b": "WEEK"}
    for who, actor in VIEWERS.items():
        seen = visible_to(settings, momentum, world, actor)
        for name, goal in world.goals.items():
            result = query(settings, momentum, SERIES, actor, g=goal, **window)
            if name in seen:
                assert result.errors is None, (who, name)
            else:
                assert [e.extensions["code"] for e in result.errors] == ["NOT_FOUND"], (who, name)
                unknown = refusal(settings, momentum, SERIES, actor, g="00000000-0000-4000-8000-000000000000",
                                  **window)
                assert unknown == "NOT_FOUND"
    assert "bob_private" not in visible_to(settings, momentum, world, EVE)


@pytest.mark.parametrize(("variables", "code"), [
    ({}, "VALIDATION"),  # neither goal nor cycle
    ({"g": "G", "c": "C"}, "VALIDATION"),
    ({"g": "G", "t": "core"}, "VALIDATION"),  # a team narrows a cycle
    ({"g": "not-a-uuid"}, "VALIDATION"),
    ({"c": "00000000-0000-4000-8000-000000000000"}, "NOT_FOUND"),
    ({"c": "C", "t": "no-such-team"}, "NOT_FOUND"),
    ({"c": "C", "from": "2027-02-01T00:00:00Z", "to": "2027-01-01T00:00:00Z"}, "VALIDATION"),
    ({"c": "C", "from": "2027-01-01T00:00:00", "to": "2027-02-01T00:00:00"}, "VALIDATION"),  # no time zone
    ({"c": "C", "from": "0001-01-01T00:00:00Z", "to": "9999-12-31T23:59:59Z"}, "VALIDATION"),  # too many points
    ({"c": "C", "from": "2027-01-01T00:00:00Z", "to": "2028-03-01T00:00:00Z", "b": "DAY"}, "VALIDATION"),
])
def test_bad_series_arguments_are_refused_with_a_typed_error(
    momentum: Momentum, seeded: tuple[Seeded, Settings], variables: dict[str, Any], code: str
) -> None:
    world, settings = seeded
    ids = {"G": world.goals["ada"], "C": world.cycle}
    given = {"from": "2027-01-01T00:00:00Z", "to": "2027-02-01T00:00:00Z", "b": "WEEK",
             **{k: ids.get(v, v) for k, v in variables.items()}}
    assert refusal(settings, momentum, SERIES, ADMIN, **given) == code


def test_series_at_the_edges_of_the_calendar(momentum: Momentum, seeded: tuple[Seeded, Settings]) -> None:
    world, settings = seeded

    def series(start: str, end: str) -> list[tuple[float | None, float | None]]:
        points = ask(settings, momentum, SERIES, ADMIN, c=world.cycle, b="WEEK", **{"from": start, "to": end})
        return [(p["progress"], p["expectedPace"]) for p in points["progressHistory"]]

    assert set(series("0001-01-01T00:00:00+14:00", "0001-03-01T00:00:00-12:00")) == {(None, 0.0)}
    (latest,) = set(series("9999-12-01T00:00:00-12:00", "9999-12-31T23:59:59-12:00"))
    assert latest[1] == 100.0 and latest[0] is not None


def test_cycle_health_refuses_unknown_cycles_and_teams(momentum: Momentum, seeded: tuple[Seeded, Settings]) -> None:
    world, settings = seeded
    assert refusal(settings, momentum, CYCLE_HEALTH, ADA, c="00000000-0000-4000-8000-000000000000") == "NOT_FOUND"
    assert refusal(settings, momentum, CYCLE_HEALTH, ADA, c="nope") == "VALIDATION"
    assert refusal(settings, momentum, CYCLE_HEALTH, ADA, c=world.cycle, t="nope") == "NOT_FOUND"
