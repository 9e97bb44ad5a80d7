"""recordMeasurements over HTTP on the real stack: a service account's measurements become
check-ins with the integration as actor, a duplicate changes nothing, every bad item is refused
with its reason, kept as a dead letter and counted in /metrics; only a service account's token
may record, and that token may do nothing else."""

from __future__ import annotations

from typing import Any

import httpx
import psycopg

from api.auth import issue_token
from settings import Settings
from tests.e2e.client import GraphQL, api_base, error_codes, metric, mutate
from tests.stack import Process, stored_events, wait_until

RECORD = """
mutation Record($input: RecordMeasurementsInput!) {
  recordMeasurements(input: $input) { results { idempotencyKey status reason message sequence } }
}"""
KEY_RESULTS = """
query Goal($id: ID!, $consistency: Int) {
  goal(id: $id, consistency: $consistency) {
    keyResults { id metricKey currentValue checkInCount }
    checkIns { actor value }
  }
}"""


def seed(admin: GraphQL, ada: GraphQL) -> dict[str, str]:
    mutate(admin, "registerPerson", personId="ada", name="Ada", email="ada@example.com")
    mutate(admin, "registerServiceAccount", accountId="crm", name="CRM sync")
    cycle = mutate(admin, "createCycle", name="Q1", startsOn="2027-01-01", endsOn="2027-03-31")["id"]
    old = mutate(admin, "createCycle", name="Q0", startsOn="2026-10-01", endsOn="2026-12-31")["id"]
    goal = ada.create_goal("Sell", cycleId=cycle)["goalId"]
    kr = mutate(ada, "addKeyResult", goalId=goal, title="Deals", kind="INCREASE_TO", start=0, target=100,
                metricKey="crm.deals")["keyResultId"]
    launch = mutate(ada, "addKeyResult", goalId=goal, title="Launch", kind="MILESTONE")["keyResultId"]
    mutate(ada, "linkKeyResultMetric", goalId=goal, keyResultId=launch, metricKey="crm.launch")
    past = ada.create_goal("Old", cycleId=old)["goalId"]
    mutate(ada, "addKeyResult", goalId=past, title="Old", kind="INCREASE_TO", start=0, target=10, metricKey="crm.old")
    mutate(admin, "closeCycle", cycleId=old, reason="over")
    return {"goal": goal, "kr": kr, "launch": launch}


def record(client: GraphQL, *items: dict[str, Any]) -> dict[str, Any]:
    return client.post(RECORD, {"input": {"measurements": list(items)}}).json()


def item(key: str, value: Any, metric_key: str = "crm.deals", **extra: Any) -> dict[str, Any]:
    return {"idempotencyKey": key, "metricKey": metric_key, "value": value, **extra}


def test_measurements_are_check_ins_once_and_bad_ones_are_refused_with_a_reason(
    settings: Settings, pipeline: dict[str, Process]
) -> None:
    admin, ada, crm = GraphQL(settings, "root", ("admin",)), GraphQL(settings, "ada"), GraphQL(settings, "crm",
                                                                                              ("integration",))
    ids = seed(admin, ada)
    body = record(
        crm, item("m1", 40, confidence=7, note="from the CRM"), item("m1", 90), item("m2", 55),
        item("m3", 5, "crm.nothing"), item("m4", 1e16), item("m5", 0.5, "crm.launch"), item("m6", 1, "crm.launch"),
        item("m7", 5, "crm.old"), item("", 5), item("x" * 201, 5), item("m8", 5, "bad key!"), item("m9", 5,
                                                                                                   confidence=11),
    )
    assert "errors" not in body, body
    results = body["data"]["recordMeasurements"]["results"]
    assert [(r["status"], r["reason"]) for r in results] == [
        ("APPLIED", None), ("DUPLICATE", None), ("APPLIED", None), ("REFUSED", "UNKNOWN_METRIC"),
        ("REFUSED", "INVALID_VALUE"), ("REFUSED", "INVALID_VALUE"), ("APPLIED", None), ("REFUSED", "CLOSED"),
        ("REFUSED", "INVALID_IDEMPOTENCY_KEY"), ("REFUSED", "INVALID_IDEMPOTENCY_KEY"), ("REFUSED", "UNKNOWN_METRIC"),
        ("REFUSED", "INVALID_VALUE"),
    ]
    assert all(r["message"] for r in results if r["status"] == "REFUSED")
    again = record(crm, item("m1", 10), item("m2", 10))["data"]["recordMeasurements"]["results"]
    assert [r["status"] for r in again] == ["DUPLICATE", "DUPLICATE"]

    consistency = max(r["sequence"] for r in results if r["sequence"])
    goal = ada.data(KEY_RESULTS, {"id": ids["goal"], "consistency": consistency})["goal"]
    deals = next(r for r in goal["keyResults"] if r["id"] == ids["kr"])
    assert (deals["metricKey"], deals["currentValue"], deals["checkInCount"]) == ("crm.deals", 55.0, 2)
    assert sorted((c["actor"], c["value"]) for c in goal["checkIns"]) == [("crm", 1.0), ("crm", 40.0), ("crm", 55.0)]

    with psycopg.connect(settings.database_url) as conn:
        letters = conn.execute(
            "SELECT channel, integration, idempotency_key, reason FROM measurement_dead_letters ORDER BY id"
        ).fetchall()
    assert letters == [
        ("api", "crm", "m3", "UNKNOWN_METRIC"), ("api", "crm", "m4", "INVALID_VALUE"),
        ("api", "crm", "m5", "INVALID_VALUE"), ("api", "crm", "m7", "CLOSED"),
        ("api", "crm", "", "INVALID_IDEMPOTENCY_KEY"), ("api", "crm", "x" * 201, "INVALID_IDEMPOTENCY_KEY"),
        ("api", "crm", "m8", "UNKNOWN_METRIC"), ("api", "crm", "m9", "INVALID_VALUE"),
    ]
    wait_until(lambda: metric(settings, "momentum_measurements_refused") == 8, 10, "the refusals in /metrics")


def test_only_an_active_service_account_records_and_its_token_does_nothing_else(
    settings: Settings, pipeline: dict[str, Process]
) -> None:
    admin, ada = GraphQL(settings, "root", ("admin",)), GraphQL(settings, "ada")
    ids = seed(admin, ada)
    for outsider in (ada, admin, GraphQL(settings, "ada", ("integration",)), GraphQL(settings, "crm")):
        assert [e["extensions"]["code"] for e in record(outsider, item("k", 5))["errors"]] == ["FORBIDDEN"]
    crm = GraphQL(settings, "crm", ("integration", "admin"))  # the integration role takes every other away
    before = stored_events(settings)
    assert error_codes(crm, "registerPerson", personId="eve", name="Eve", email="eve@example.com") == ["FORBIDDEN"]
    assert error_codes(crm, "linkKeyResultMetric", goalId=ids["goal"], keyResultId=ids["kr"],
                       metricKey="crm.other") == ["FORBIDDEN"]
    for query in ("{ me { id } }", "{ goals(first: 5) { edges { node { id } } } }",
                  "mutation { __typename recordMeasurements(input: {measurements: []}) { results { status } } "
                  "registerServiceAccount(input: {accountId: \"x\", name: \"X\"}) { id } }"):
        assert [e["extensions"]["code"] for e in crm.post(query).json()["errors"]] == ["FORBIDDEN"], query
    assert stored_events(settings) == before
    audit = f"{api_base(settings)}/audit"
    token = {"Authorization": f"Bearer {issue_token(settings, 'crm', ['integration', 'auditor'])}"}
    assert httpx.get(f"{audit}/goals/{ids['goal']}", headers=token).status_code == 403
    assert httpx.get(f"{audit}/export", params={"goal": ids["goal"]}, headers=token).status_code == 403
    assert error_codes(ada, "registerServiceAccount", accountId="sneaky", name="Sneaky") == ["FORBIDDEN"]
    assert error_codes(admin, "registerServiceAccount", accountId="ada", name="Ada's twin") == ["CONFLICT"]
    assert error_codes(admin, "registerPerson", personId="crm", name="Crm", email="crm@example.com") == ["CONFLICT"]
    assert error_codes(ada, "linkKeyResultMetric", goalId=ids["goal"], keyResultId=ids["launch"],
                       metricKey="crm.deals") == ["CONFLICT"], "a metric feeds one key result"

    too_many = [item(f"k{n}", n) for n in range(settings.measurements_max_batch + 1)]
    assert [e["extensions"]["code"] for e in record(crm, *too_many)["errors"]] == ["VALIDATION"]
    assert [e["extensions"]["code"] for e in record(crm)["errors"]] == ["VALIDATION"]
    assert stored_events(settings) == before
    account = '{ serviceAccount(id: "crm") { id name active } }'
    assert [e["extensions"]["code"] for e in ada.post(account).json()["errors"]] == ["FORBIDDEN"]
    mutate(admin, "deactivateServiceAccount", accountId="crm", reason="replaced")
    assert [e["extensions"]["code"] for e in record(crm, item("k", 5))["errors"]] == ["FORBIDDEN"]


def test_an_integration_token_reads_no_page_of_the_audit(settings: Settings, pipeline: dict[str, Process]) -> None:
    """The cycle report is for any signed-in person, but a service account is no person: its token
    is refused there as on every other way in but recordMeasurements."""
    admin, ada = GraphQL(settings, "root", ("admin",)), GraphQL(settings, "ada")
    seed(admin, ada)
    cycle = mutate(admin, "createCycle", name="Q2", startsOn="2027-04-01", endsOn="2027-06-30")
    ada.data("query($c: ID!, $s: Int) { cycleHealth(cycleId: $c, consistency: $s) { goals } }",
             {"c": cycle["id"], "s": cycle["sequence"]})
    page = f"{api_base(settings)}/audit/cycles/{cycle['id']}"
    assert httpx.get(page, headers={"Authorization": f"Bearer {ada.token}"}).status_code == 200
    for roles in (["integration"], ["integration", "admin"]):
        token = issue_token(settings, "crm", roles)
        for refused in (httpx.get(page, headers={"Authorization": f"Bearer {token}"}),
                        httpx.get(page, params={"access_token": token, "team": "core"})):
            assert refused.status_code == 403, refused.text
            assert [e["extensions"]["code"] for e in refused.json()["errors"]] == ["FORBIDDEN"]
