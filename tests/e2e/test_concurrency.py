"""Fifty concurrent check-ins and approvals on one goal, over HTTP: each accepted command is
stored once, the losers of a race get a typed error, versions stay contiguous."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg

from settings import Settings
from tests.e2e.client import GraphQL, mutate, mutation
from tests.e2e.test_goal_commands_http import build_org
from tests.stack import Process

CHECK_INS, APPROVALS = 44, 6


def test_concurrent_check_ins_and_approvals_on_one_goal(settings: Settings, api: Process) -> None:
    admin, ada, maya = GraphQL(settings, "root", ("admin",)), GraphQL(settings, "ada"), GraphQL(settings, "maya")
    cycle = build_org(admin)
    goal_id = mutate(ada, "createGoal", title="Contested", cycleId=cycle)["goalId"]
    mutate(ada, "proposeGoal", goalId=goal_id, comment="please")
    mutate(maya, "approveGoal", goalId=goal_id)
    mutate(ada, "proposeGoalChange", goalId=goal_id, title="Contested, renamed")

    def send(job: tuple[str, Any]) -> tuple[str, dict[str, Any]]:
        kind, value = job
        if kind == "check-in":
            client, name, fields = ada, "recordCheckIn", {"goalId": goal_id, "progress": value}
        else:
            client, name, fields = maya, "approveGoal", {"goalId": goal_id, "comment": f"yes {value}"}
        response = client.post(mutation(name), {"input": fields})
        assert response.status_code == 200, response.text
        return kind, response.json()

    jobs = [("check-in", i) for i in range(CHECK_INS)] + [("approve", i) for i in range(APPROVALS)]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(send, jobs))

    accepted_versions = []
    approvals_accepted = 0
    for kind, body in results:
        if "errors" in body:
            codes = [e["extensions"]["code"] for e in body["errors"]]
            assert codes in (["CONFLICT"], ["VALIDATION"]), body
            assert kind == "approve" or codes == ["CONFLICT"], body
            continue
        write = next(iter(body["data"].values()))
        accepted_versions.append(write["version"])
        approvals_accepted += kind == "approve"

    assert approvals_accepted == 1, "the one pending change is approved once"
    assert len(accepted_versions) == len(set(accepted_versions)), "each accepted command stored once"
    with psycopg.connect(settings.database_url) as conn:
        versions = [r[0] for r in conn.execute(
            "SELECT originator_version FROM momentum_events WHERE originator_id = %s ORDER BY 1", (goal_id,)
        ).fetchall()]
    assert versions == list(range(1, len(versions) + 1)), "contiguous versions"
    assert len(versions) == 4 + len(accepted_versions)
    assert set(accepted_versions) == set(versions[4:])
