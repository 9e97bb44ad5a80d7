"""The TypeScript client (examples/typescript-client/, typed by graphql-codegen from
schema.graphql, compiled by tsc in `make examples`) runs a dashboard's operations once against
the live API: fetch for queries and mutations, graphql-ws for the goalUpdated subscription."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from api.auth import issue_token
from settings import Settings
from tests.e2e.client import GraphQL, api_base, build_feedback_org, mutate
from tests.stack import ROOT

CLIENT = ROOT / "examples" / "typescript-client"
FEEDBACK_SEEN = "query($c: Int) { feedbackInbox(consistency: $c) { id } }"


def run_dashboard(settings: Settings, token: str) -> subprocess.CompletedProcess[str]:
    assert (CLIENT / "dist" / "dashboard.js").exists(), "the client is not built: run `make examples`"
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "MOMENTUM_TOKEN": token,
           "MOMENTUM_API_URL": f"{api_base(settings)}/graphql"}
    return subprocess.run(["node", "dist/dashboard.js"], cwd=CLIENT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_typescript_client_runs_a_dashboard_against_the_live_api(pipeline: Any, settings: Settings) -> None:
    build_feedback_org(GraphQL(settings, "root", ("admin",)))
    bob = GraphQL(settings, "bob")
    given = mutate(bob, "giveFeedback", recipientId="ada", kind="PRAISE", visibility="PRIVATE", text="great demo")
    GraphQL(settings, "ada").data(FEEDBACK_SEEN, {"c": given["sequence"]})

    run = run_dashboard(settings, issue_token(settings, "ada", []))
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)

    assert seen["me"]["id"] == "ada"
    goal_id = seen["created"]["goalId"]
    assert [kr["title"] for kr in seen["before"]["keyResults"]] == ["Screens done"]
    pushed = seen["subscription"]["pushed"]["goalUpdated"]
    assert seen["subscription"]["current"]["goalUpdated"]["id"] == goal_id
    assert (pushed["id"], pushed["ownProgress"], pushed["confidence"]) == (goal_id, 40, 7)
    goal = seen["goal"]
    assert goal["keyResults"][0]["currentValue"] == 5 and goal["keyResults"][0]["progress"] == 50
    assert [(c["progress"], c["note"]) for c in goal["checkIns"]] == [(40, "on track"), (50, "")]  # the KR check-in too
    assert [edge["node"]["id"] for edge in seen["page"]["edges"]] == [goal_id]
    assert seen["page"]["pageInfo"]["hasNextPage"] is False
    assert [(f["id"], f["authorId"], f["text"], f["kind"]) for f in seen["inbox"]] == [
        (given["id"], "bob", "great demo", "PRAISE")
    ]
    assert seen["acknowledged"]["id"] == given["id"]


def test_a_refusal_reaches_the_client_as_its_code(api: Any, settings: Settings) -> None:
    run = run_dashboard(settings, "not-a-token")
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr.startswith("UNAUTHENTICATED: "), run.stderr
