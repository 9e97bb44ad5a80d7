"""Insight on the real stack: a cycle seeded over seven simulated weeks (the event store's clock
set before each command), read through the relay, Kafka and the projector by the API, whose
clock (MOMENTUM_CLOCK) stands on 2027-02-15: goal health, cycle health, a team's series against
goalTreeAsOf over HTTP, and the cycle report page in headless Chromium with its burn-up chart."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from api.auth import issue_token
from api.headers import page_policy
from bootstrap import build_momentum
from settings import Settings
from tests.e2e.client import GraphQL, api_base
from tests.e2e.png import count_colour
from tests.e2e.test_audit_page_and_export import chromium
from tests.integration.insight_scenario import CYCLE_START, HEALTH, NOW, Clock, Seeded, expected_point, seed
from tests.integration.insight_scenario import clock as clock  # the fixture
from tests.stack import ROOT, fresh_database

WAIT = "query($c: ID!, $s: Int) { cycleHealth(cycleId: $c, consistency: $s) { goals } }"
GOALS = "query($id: ID!) { goal(id: $id) { title expectedProgress health stale } }"
HEALTH_QUERY = """query($c: ID!, $t: ID) { cycleHealth(cycleId: $c, teamId: $t) {
  goals onTrack atRisk offTrack notStarted done stale missingCheckIns expectedProgress at } }"""
SERIES = """query($c: ID!, $t: ID, $from: DateTime!, $to: DateTime!) {
  progressHistory(cycleId: $c, teamId: $t, from: $from, to: $to, bucket: WEEK) { at progress expectedPace } }"""
TREE = """query($c: ID!, $at: DateTime!) { goalTreeAsOf(cycleId: $c, at: $at) { ...node
  children { ...node children { ...node } } } }
fragment node on GoalAsOfNode { progress goal { id parentId weight rollsUp status confidence } }"""
BLUE = (0x25, 0x63, 0xEB)


@pytest.fixture
def settings() -> Iterator[Settings]:
    with fresh_database(clock=NOW) as fresh:
        yield fresh


@pytest.fixture
def seeded(settings: Settings, pipeline: object, clock: type[Clock]) -> Iterator[Seeded]:
    app = build_momentum(settings)
    try:
        found = seed(app)
    finally:
        app.close()
    GraphQL(settings, "root", ("admin",)).data(WAIT, {"c": found.cycle, "s": found.sequence})
    yield found


def test_health_and_the_team_series_over_http_equal_time_travel(settings: Settings, seeded: Seeded) -> None:
    admin, maya, eve = GraphQL(settings, "root", ("admin",)), GraphQL(settings, "maya"), GraphQL(settings, "eve")
    for name, goal in seeded.goals.items():
        found = admin.data(GOALS, {"id": goal})["goal"]
        assert (found["expectedProgress"], found["health"]) == (50.0, HEALTH[name] and HEALTH[name].upper()), name
    core = maya.data(HEALTH_QUERY, {"c": seeded.cycle, "t": "core"})["cycleHealth"]
    assert core == {"goals": 6, "onTrack": 1, "atRisk": 2, "offTrack": 1, "notStarted": 1, "done": 1, "stale": 2,
                    "missingCheckIns": 3, "expectedProgress": 50.0, "at": "2027-02-15T00:00:00+00:00"}
    seen_by_eve = eve.data(HEALTH_QUERY, {"c": seeded.cycle})["cycleHealth"]  # bob's team and private goals hidden
    assert (seen_by_eve["goals"], seen_by_eve["offTrack"], seen_by_eve["atRisk"]) == (5, 0, 1)

    points = maya.data(SERIES, {"c": seeded.cycle, "t": "core", "from": "2027-01-04T12:00:00Z",
                                "to": "2027-02-15T00:00:00Z"})["progressHistory"]
    assert len(points) == 6
    auditor = GraphQL(settings, "audrey", ("auditor",))
    team_goals = {seeded.goals[n] for n in ("core", "ada", "bob", "bob_private", "ada_done", "ada_new")}
    for point in points:
        tree = auditor.data(TREE, {"c": seeded.cycle, "at": point["at"]})["goalTreeAsOf"]
        expected, _ = expected_point(tree, team_goals)
        assert point["progress"] == pytest.approx(expected, abs=1e-3), point
        days = (datetime.fromisoformat(point["at"]) - CYCLE_START) / timedelta(days=1)
        assert point["expectedPace"] == pytest.approx(100 * days / 90, abs=1e-3)
    assert points[-1]["at"] == "2027-02-08T12:00:00+00:00"


def test_the_cycle_report_renders_health_and_burn_up_chart_in_chromium(
    settings: Settings, seeded: Seeded, tmp_path: Path
) -> None:
    base = f"{api_base(settings)}/audit/cycles/{seeded.cycle}"
    url = f"{base}?team=core&access_token={issue_token(settings, 'maya', [])}"
    screenshot = tmp_path / "cycle-report.png"
    shot = chromium(url, tmp_path / "profile", f"--screenshot={screenshot}")
    assert screenshot.exists(), shot.stderr
    image = screenshot.read_bytes()
    assert count_colour(image, BLUE) > 400, "the burn-up line is not in the screenshot"
    Path(ROOT, ".state").mkdir(exist_ok=True)
    Path(ROOT, ".state", "cycle-report.png").write_bytes(image)  # for a human to look at
    dom = chromium(url, tmp_path / "profile", "--dump-dom").stdout
    assert "Cycle report: 2027-Q1" in dom and '<svg id="burnup"' in dom and "bob_private" in dom
    assert "<th>At risk</th><td>2</td>" in dom and "<th>Missing check-ins</th><td>3</td>" in dom

    def page(subject: str | None, **params: str) -> httpx.Response:
        headers = {} if subject is None else {"Authorization": f"Bearer {issue_token(settings, subject, [])}"}
        return httpx.get(base, params=params, headers=headers, timeout=30)

    eve = page("eve")
    assert eve.status_code == 200 and "bob_private" not in eve.text and "<td>bob</td>" not in eve.text
    assert eve.headers["content-security-policy"] == page_policy(eve.text)
    assert "script-src" not in eve.headers["content-security-policy"]
    assert eve.headers["referrer-policy"] == "no-referrer" and eve.headers["x-frame-options"] == "DENY"
    assert page(None).status_code == 401
    assert page("eve", team="nope").status_code == 404
    assert httpx.get(f"{api_base(settings)}/audit/cycles/not-a-uuid", timeout=30,
                     headers={"Authorization": f"Bearer {issue_token(settings, 'eve', [])}"}).status_code == 400
    unknown = f"{api_base(settings)}/audit/cycles/00000000-0000-4000-8000-000000000000"
    assert httpx.get(unknown, timeout=30, headers={
        "Authorization": f"Bearer {issue_token(settings, 'eve', [])}"}).status_code == 404
