"""The audit page in headless Chromium, and exports over HTTP and the CLI, with access rules."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.auth import issue_token
from api.headers import page_policy
from bootstrap import build_momentum
from settings import Settings
from tests.e2e.audit_scenario import scenario
from tests.e2e.client import GraphQL, api_base
from tests.integration.org import ADMIN
from tests.stack import ROOT, run_cli

CHROMIUM = "/usr/bin/chromium"
WAIT = "query($id: ID!, $c: Int) { goalTimeline(goalId: $id, first: 1, consistency: $c) { pageInfo { hasNextPage } } }"


def chromium(url: str, profile: Path, *mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1000,900", *mode, url],
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def audited(settings: Settings, pipeline: object) -> Iterator[tuple[str, str, str]]:
    """The scenario's (cycle, company goal, ada's goal), once the read models have it."""
    app = build_momentum(settings)
    cycle, company, mine, sequence = scenario(app)
    GraphQL(settings, "audrey", ("auditor",)).data(WAIT, {"id": mine, "c": sequence})
    yield cycle, company, mine
    app.close()


def test_the_audit_page_renders_the_timeline_and_chart_in_chromium(
    settings: Settings, audited: tuple[str, str, str], tmp_path: Path
) -> None:
    _, company, mine = audited
    base = f"{api_base(settings)}/audit/goals"
    url = f"{base}/{mine}?access_token={issue_token(settings, 'audrey', ['auditor'])}"
    screenshot = tmp_path / "audit-page.png"
    shot = chromium(url, tmp_path / "profile", f"--screenshot={screenshot}")
    assert screenshot.exists() and screenshot.read_bytes()[:4] == b"\x89PNG", shot.stderr
    dom = chromium(url, tmp_path / "profile", "--dump-dom").stdout
    assert "Audit of goal “Ship v2”" in dom
    assert "scope grew" in dom and "DetailsChanged" in dom and "KeyResultCheckedIn" in dom
    assert "key result “Features”: current_value</b>: 4.0 → 8.0" in dom
    assert '"Ship" → "Ship v2"' in dom
    assert '<svg id="chart"' in dom and "progress (%)" in dom and "confidence (0–10)" in dom
    Path(ROOT, ".state").mkdir(exist_ok=True)
    Path(ROOT, ".state", "audit-page.png").write_bytes(screenshot.read_bytes())  # for a human to look at

    def page(goal: str, subject: str | None, roles: list[str] = []) -> int:  # noqa: B006
        headers = {} if subject is None else {"Authorization": f"Bearer {issue_token(settings, subject, roles)}"}
        return httpx.get(f"{base}/{goal}", headers=headers, timeout=30).status_code

    assert page(mine, "ada") == 200
    assert page(mine, "bob") == 403
    assert page(company, "ada") == 403
    assert page(company, "root", ["admin"]) == 200
    assert page(mine, None) == 401


def test_exports_by_goal_person_and_cycle_for_auditors_only(
    settings: Settings, audited: tuple[str, str, str], tmp_path: Path
) -> None:
    cycle, _, mine = audited
    url = f"{api_base(settings)}/audit/export"

    def download(token_subject: str, roles: list[str], **params: str) -> httpx.Response:
        token = issue_token(settings, token_subject, roles)
        return httpx.get(url, params=params, headers={"Authorization": f"Bearer {token}"}, timeout=30)

    by_goal = download("audrey", ["auditor"], goal=mine, format="csv")
    assert by_goal.status_code == 200 and by_goal.headers["content-type"].startswith("text/csv")
    assert "attachment" in by_goal.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(by_goal.text)))
    assert [r["version"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert json.loads(rows[3]["changes"]) == [{"field": "title", "before": "Ship", "after": "Ship v2"}]

    by_person = [json.loads(x) for x in download("audrey", ["auditor"], person="ada").text.splitlines()]
    assert {r["actor"] for r in by_person} == {"ada"} and len(by_person) == 5
    by_cycle = [json.loads(x) for x in download("root", ["admin"], cycle=cycle).text.splitlines()]
    assert len(by_cycle) == 6
    later = [json.loads(x) for x in download("audrey", ["auditor"], cycle=cycle, since=rows[3]["at"]).text.splitlines()]
    assert [r["version"] for r in later] == [4, 5]
    before = download("audrey", ["auditor"], cycle=cycle, until=rows[3]["at"]).text.splitlines()
    assert len(before) == 4

    assert download("ada", [], goal=mine).status_code == 403
    assert download("audrey", ["auditor"], goal=mine, person="ada").status_code == 400
    assert download("audrey", ["auditor"], goal=mine, format="xml").status_code == 400

    target = tmp_path / "export.csv"
    cli = run_cli(settings, "audit", "export", "--goal", mine, "--format", "csv", "--output", str(target), timeout=60)
    assert cli.returncode == 0, cli.stderr
    assert target.read_bytes() == by_goal.content
    assert "exported 5 entries" in cli.stderr


def test_csv_export_neutralises_formulas_and_the_audit_page_allows_only_its_own_style(
    settings: Settings, audited: tuple[str, str, str]
) -> None:
    _, _, mine = audited
    app = build_momentum(settings)
    try:
        stored = app.goals.edit_goal(ADMIN, mine, title="=HYPERLINK(\"http://evil\",\"x\")", reason="@SUM(1+1)")
    finally:
        app.close()
    GraphQL(settings, "audrey", ("auditor",)).data(WAIT, {"id": mine, "c": stored.sequence})
    base = f"{api_base(settings)}/audit"
    auditor = {"Authorization": f"Bearer {issue_token(settings, 'audrey', ['auditor'])}"}
    exported = httpx.get(f"{base}/export", params={"goal": mine, "format": "csv"}, headers=auditor, timeout=30)
    last = list(csv.DictReader(io.StringIO(exported.text)))[-1]
    assert last["reason"] == "'@SUM(1+1)" and last["version"] == "6"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in csv.reader(io.StringIO(exported.text))
               for cell in row)
    page = httpx.get(f"{base}/goals/{mine}", headers=auditor, timeout=30)
    assert page.status_code == 200 and page.headers["content-security-policy"] == page_policy(page.text)
    assert "script-src" not in page.headers["content-security-policy"]
