"""Read-your-writes for every mutation of the schema: after each one, every query that shows its
effect, given the returned sequence as the `consistency` argument or as the
X-Momentum-Consistency header, shows it on the first try. A mutation without a case fails the
test, so a new mutation must bring its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import pytest

from api.schema import build_schema
from settings import Settings
from tests.e2e.client import GraphQL, mutate
from tests.stack import Process

Data = dict[str, Any]
GOAL = "query($g: ID!, $c: Int) { goal(id: $g, consistency: $c) { version %s } }"
TIMELINE = (
    "query($g: ID!, $c: Int) { goalTimeline(goalId: $g, first: 100, consistency: $c) { edges { node { version } } } }"
)


@dataclass
class Check:
    """`query` names `$c` in a `consistency` argument; `shows` is true when the effect is visible."""

    query: str
    shows: Callable[[Data], bool]
    variables: Data = field(default_factory=dict)
    client: GraphQL | None = None


@dataclass
class World:
    settings: Settings
    admin: GraphQL
    people: dict[str, GraphQL]
    ids: dict[str, str] = field(default_factory=dict)

    def client(self, person: str) -> GraphQL:
        if person not in self.people:
            self.people[person] = GraphQL(self.settings, person)
        return self.people[person]


def goal_checks(w: World, written: Data, fields: str, shows: Callable[[Data], bool]) -> list[Check]:
    """The goal (as the admin) at the written version with the effect, and its timeline entry."""
    goal_id, version = written["goalId"], written["version"]
    return [
        Check(GOAL % fields, lambda d: d["goal"]["version"] == version and shows(d["goal"]), {"g": goal_id}),
        Check(TIMELINE, lambda d: d["goalTimeline"]["edges"][-1]["node"]["version"] == version, {"g": goal_id}),
    ]


def on_goal(name: str, goal: str, by: str, fields: str, shows: Callable[[Data], bool], /, **input: Any) -> Any:
    def case(w: World) -> tuple[Data, list[Check]]:
        written = mutate(w.client(by) if by != "root" else w.admin, name, goalId=w.ids[goal], **input)
        return written, goal_checks(w, written, fields, shows)

    return case


def person_case(name: str, shows: Callable[[Data], bool], /, **input: Any) -> Any:
    def case(w: World) -> tuple[Data, list[Check]]:
        written = mutate(w.admin, name, **input)
        query = "query($p: ID!, $c: Int) { person(id: $p, consistency: $c) { name active } }"
        return written, [Check(query, lambda d: shows(d["person"]), {"p": w.ids["newbie"]})]

    return case


def register_person(w: World) -> tuple[Data, list[Check]]:
    person = w.ids["newbie"] = f"newbie-{uuid4().hex[:8]}"
    written = mutate(w.admin, "registerPerson", personId=person, name="Newbie", email="newbie@example.com")
    both = "query($p: ID!, $c: Int) { me { person { id } } person(id: $p, consistency: $c) { id name } }"
    return written, [
        Check(both, lambda d: d["person"] is not None and d["me"]["person"] is not None, {"p": person},
              w.client(person)),
        Check(both, lambda d: d["person"]["name"] == "Newbie", {"p": person}),
    ]


def entry_cases(field: str, key: str, entry: str) -> Callable[..., Any]:
    """Cases of one directory entry: a mutation `name` on it (`key`: `entry`), then
    `field(id: entry)` read at the mutation's sequence `shows` what it wrote."""

    def entry_case(name: str, shows: Callable[[Data], bool], /, **input: Any) -> Any:
        def case(w: World) -> tuple[Data, list[Check]]:
            written = mutate(w.admin, name, **{key: entry}, **input)
            query = f"query($c: Int) {{ {field}(id: \"{entry}\", consistency: $c) {{ name active }} }}"
            return written, [Check(query, lambda d: d[field] is not None and shows(d[field]))]

        return case

    return entry_case


team_case = entry_cases("team", "teamId", "squad")
service_account_case = entry_cases("serviceAccount", "accountId", "crm")


def cycle_case(name: str, shows: Callable[[Data], bool], /, **input: Any) -> Any:
    def case(w: World) -> tuple[Data, list[Check]]:
        if name == "createCycle":
            written = mutate(w.admin, name, **input)
            w.ids["cycle"] = written["id"]
        else:
            written = mutate(w.admin, name, cycleId=w.ids["cycle"], **input)
        query = "query($y: ID!, $c: Int) { cycle(id: $y, consistency: $c) { name closed version } }"
        return written, [Check(query, lambda d: d["cycle"]["version"] == written["version"] and shows(d["cycle"]),
                               {"y": w.ids["cycle"]})]

    return case


def create_goal(w: World) -> tuple[Data, list[Check]]:
    written = mutate(w.client("ada"), "createGoal", title="Launch", cycleId=w.ids["cycle"])
    w.ids["goal"] = written["goalId"]
    w.ids["parent"] = mutate(w.client("ada"), "createGoal", title="Parent", cycleId=w.ids["cycle"])["goalId"]
    mine = "query($c: Int) { goals(filter: {owner: \"ada\"}, first: 100, consistency: $c) { edges { node { id } } } }"
    return written, [
        *goal_checks(w, written, "title", lambda g: g["title"] == "Launch"),
        Check(mine, lambda d: written["goalId"] in [e["node"]["id"] for e in d["goals"]["edges"]]),
    ]


def add_key_result(w: World) -> tuple[Data, list[Check]]:
    written = mutate(w.client("ada"), "addKeyResult", goalId=w.ids["goal"], title="Users", kind="INCREASE_TO",
                     start=0, target=10)
    w.ids["kr"] = written["keyResultId"]
    return written, goal_checks(w, written, "keyResults { id }",
                                lambda g: [r["id"] for r in g["keyResults"]] == [written["keyResultId"]])


def on_key_result(name: str, fields: str, shows: Callable[[Data], bool], /, **input: Any) -> Any:
    def case(w: World) -> tuple[Data, list[Check]]:
        written = mutate(w.client("ada"), name, goalId=w.ids["goal"], keyResultId=w.ids["kr"], **input)
        return written, goal_checks(w, written, fields, shows)

    return case


def propose_then(name: str, status: str, /, **input: Any) -> Any:
    """The goal proposed again by its owner, then decided by the manager with `name`."""

    def case(w: World) -> tuple[Data, list[Check]]:
        mutate(w.client("ada"), "proposeGoal", goalId=w.ids["goal"])
        written = mutate(w.client("maya"), name, goalId=w.ids["goal"], **input)
        return written, goal_checks(w, written, "status", lambda g: g["status"] == status)

    return case


def move_goal_to_cycle(w: World) -> tuple[Data, list[Check]]:
    w.ids["next_cycle"] = mutate(w.admin, "createCycle", name="2027-Q4", startsOn="2027-10-01",
                                 endsOn="2027-12-31")["id"]
    return on_goal("moveGoalToCycle", "goal", "ada", "cycleId", lambda g: g["cycleId"] == w.ids["next_cycle"],
                   cycleId=w.ids["next_cycle"], reason="later")(w)


def give_feedback(w: World) -> tuple[Data, list[Check]]:
    written = mutate(w.client("ada"), "giveFeedback", recipientId="bob", kind="PRAISE", visibility="PRIVATE",
                     text="thanks")
    w.ids["feedback"] = written["id"]
    inbox = "query($c: Int) { feedbackInbox(consistency: $c) { id } }"
    sent = "query($c: Int) { feedbackSent(consistency: $c) { id } }"
    return written, [
        Check(inbox, lambda d: [f["id"] for f in d["feedbackInbox"]] == [written["id"]], client=w.client("bob")),
        Check(sent, lambda d: [f["id"] for f in d["feedbackSent"]] == [written["id"]], client=w.client("ada")),
    ]


def acknowledge_feedback(w: World) -> tuple[Data, list[Check]]:
    written = mutate(w.client("bob"), "acknowledgeFeedback", feedbackId=w.ids["feedback"])
    inbox = "query($c: Int) { feedbackInbox(consistency: $c) { acknowledgedAt } }"
    return written, [Check(inbox, lambda d: d["feedbackInbox"][0]["acknowledgedAt"] is not None,
                           client=w.client("bob"))]


def request_feedback(w: World) -> tuple[Data, list[Check]]:
    written = mutate(w.client("ada"), "requestFeedback", respondentIds=["bob"], question="how was it?")
    w.ids["request"] = written["id"]
    asked = "query($c: Int) { feedbackRequests(consistency: $c) { id } }"
    return written, [Check(asked, lambda d: [r["id"] for r in d["feedbackRequests"]] == [written["id"]],
                           client=w.client("bob"))]


def decline_feedback_request(w: World) -> tuple[Data, list[Check]]:
    written = mutate(w.client("bob"), "declineFeedbackRequest", requestId=w.ids["request"], reason="busy")
    sent = "query($c: Int) { feedbackRequests(sent: true, consistency: $c) { respondents { status } } }"
    return written, [Check(sent, lambda d: d["feedbackRequests"][0]["respondents"][0]["status"] == "DECLINED",
                           client=w.client("ada"))]


VALUES = "query($c: Int) { companyValues { id active } myAllowance(consistency: $c) { spent } }"


def value_case(name: str, active: bool, /, **input: Any) -> Any:
    def case(w: World) -> tuple[Data, list[Check]]:
        written = mutate(w.admin, name, valueId="care", **input)
        return written, [Check(VALUES, lambda d: {"id": "care", "active": active} in d["companyValues"])]

    return case


def give_kudos(w: World) -> tuple[Data, list[Check]]:
    written = mutate(w.client("ada"), "giveKudos", recipientIds=["bob"], valueId="care", points=2, message="ty")
    kudos = "query($c: Int) { kudos(consistency: $c) { id } myAllowance(consistency: $c) { spent } }"
    return written, [Check(kudos, lambda d: [k["id"] for k in d["kudos"]] == [written["id"]]
                           and d["myAllowance"]["spent"] == 2, client=w.client("ada"))]


def record_measurements(w: World) -> tuple[Data, list[Check]]:
    crm = GraphQL(w.settings, "crm", ("integration",))
    body = crm.data("mutation($i: RecordMeasurementsInput!) { recordMeasurements(input: $i) { results { sequence } } }",
                    {"i": {"measurements": [{"idempotencyKey": "m1", "metricKey": "crm.users", "value": 7}]}})
    written = {"sequence": body["recordMeasurements"]["results"][0]["sequence"]}
    return written, [Check(GOAL % "keyResults { currentValue } checkIns { actor }",
                           lambda d: d["goal"]["keyResults"][0]["currentValue"] == 7
                           and d["goal"]["checkIns"][-1]["actor"] == "crm", {"g": w.ids["goal"]})]


# in the order they run: each case may use what the earlier ones made
CASES: dict[str, Callable[[World], tuple[Data, list[Check]]]] = {
    "registerTeam": team_case("registerTeam", lambda t: t["name"] == "Squad", name="Squad"),
    "updateTeam": team_case("updateTeam", lambda t: t["name"] == "Squad Two", name="Squad Two"),
    "deactivateTeam": team_case("deactivateTeam", lambda t: t["active"] is False),
    "registerPerson": register_person,
    "updatePerson": lambda w: person_case("updatePerson", lambda p: p["name"] == "Newbie Two", personId=w.ids[
        "newbie"], name="Newbie Two", email="newbie@example.com")(w),
    "deactivatePerson": lambda w: person_case("deactivatePerson", lambda p: p["active"] is False,
                                              personId=w.ids["newbie"])(w),
    "createCycle": cycle_case("createCycle", lambda y: y["name"] == "2027-Q3", name="2027-Q3",
                              startsOn="2027-07-01", endsOn="2027-09-30"),
    "closeCycle": cycle_case("closeCycle", lambda y: y["closed"] is True),
    "reopenCycle": cycle_case("reopenCycle", lambda y: y["closed"] is False, reason="more to do"),
    "createGoal": create_goal,
    "editGoal": on_goal("editGoal", "goal", "ada", "description", lambda g: g["description"] == "all of it",
                        description="all of it"),
    "changeGoalTitle": on_goal("changeGoalTitle", "goal", "ada", "title", lambda g: g["title"] == "Launch v2",
                               title="Launch v2"),
    "alignGoal": lambda w: on_goal("alignGoal", "goal", "ada", "parentId",
                                   lambda g: g["parentId"] == w.ids["parent"], parentId=w.ids["parent"])(w),
    "addKeyResult": add_key_result,
    "reviseKeyResultTarget": on_key_result("reviseKeyResultTarget", "keyResults { target } targetRevisions { target }",
                                           lambda g: g["keyResults"][0]["target"] == 20
                                           and len(g["targetRevisions"]) == 1, target=20, reason="bigger"),
    "checkInKeyResult": on_key_result("checkInKeyResult", "keyResults { currentValue }",
                                      lambda g: g["keyResults"][0]["currentValue"] == 5, value=5),
    "recordCheckIn": on_goal("recordCheckIn", "goal", "ada", "checkIns { version } checkInCount",
                             lambda g: g["checkInCount"] == 2, progress=40),
    "setCheckInCadence": on_goal("setCheckInCadence", "goal", "ada", "checkInCadence",
                                 lambda g: g["checkInCadence"] == "MONTHLY", cadence="MONTHLY"),
    "moveGoalToCycle": move_goal_to_cycle,
    "registerServiceAccount": service_account_case("registerServiceAccount", lambda a: a["name"] == "CRM",
                                                   name="CRM"),
    "linkKeyResultMetric": on_key_result("linkKeyResultMetric", "keyResults { metricKey }",
                                         lambda g: g["keyResults"][0]["metricKey"] == "crm.users",
                                         metricKey="crm.users"),
    "recordMeasurements": record_measurements,
    "deactivateServiceAccount": service_account_case("deactivateServiceAccount", lambda a: a["active"] is False),
    "proposeGoal": on_goal("proposeGoal", "goal", "ada", "status", lambda g: g["status"] == "PROPOSED"),
    "requestGoalChanges": on_goal("requestGoalChanges", "goal", "maya", "status", lambda g: g["status"] == "DRAFT",
                                  comment="smaller"),
    "rejectGoal": propose_then("rejectGoal", "DRAFT", reason="not now"),
    "approveGoal": propose_then("approveGoal", "ACTIVE"),
    "proposeGoalChange": on_goal("proposeGoalChange", "goal", "ada", "pendingChange { title }",
                                 lambda g: g["pendingChange"] == {"title": "Launch v3"}, title="Launch v3"),
    "completeGoal": on_goal("completeGoal", "goal", "maya", "status", lambda g: g["status"] == "COMPLETED"),
    "changeGoalOwner": on_goal("changeGoalOwner", "parent", "root", "ownerId", lambda g: g["ownerId"] == "bob",
                               ownerId="bob"),
    "abandonGoal": on_goal("abandonGoal", "parent", "root", "status", lambda g: g["status"] == "ABANDONED"),
    "giveFeedback": give_feedback,
    "acknowledgeFeedback": acknowledge_feedback,
    "requestFeedback": request_feedback,
    "declineFeedbackRequest": decline_feedback_request,
    "defineCompanyValue": value_case("defineCompanyValue", True, name="Care"),
    "giveKudos": give_kudos,
    "retireCompanyValue": value_case("retireCompanyValue", False),
}


def schema_mutations() -> set[str]:
    mutation_type = build_schema()._schema.mutation_type
    assert mutation_type is not None
    return set(mutation_type.fields)


def shown(check: Check, w: World, sequence: int, mode: str) -> tuple[bool, Data]:
    client = check.client or w.admin
    if mode == "argument":
        body = client.post(check.query, {**check.variables, "c": sequence}).json()
    else:
        body = client.post(check.query, {**check.variables, "c": None},
                           **{"X-Momentum-Consistency": str(sequence)}).json()
    try:
        return "errors" not in body and check.shows(body["data"]), body
    except (LookupError, TypeError):  # not there (yet): null or an empty list where the effect should be
        return False, body


@pytest.mark.parametrize("mode", ["argument", "header"])  # one run each: the first read of a write waits for it
def test_every_mutation_is_visible_to_the_queries_that_show_it_on_the_first_try(
    settings: Settings, pipeline: dict[str, Process], mode: str
) -> None:
    assert set(CASES) == schema_mutations(), "every mutation needs a read-your-writes case"
    w = World(settings, GraphQL(settings, "root", ("admin",)), {})
    mutate(w.admin, "registerTeam", teamId="core", name="Core")
    for person, manager in (("maya", None), ("ada", "maya"), ("bob", "maya")):
        mutate(w.admin, "registerPerson", personId=person, name=person.title(), email=f"{person}@example.com",
               managerId=manager, teamId="core")
    missed = []
    for name, case in CASES.items():
        written, checks = case(w)
        assert checks and written["sequence"], name
        for check in checks:
            ok, body = shown(check, w, written["sequence"], mode)
            if not ok:
                missed.append((name, check.query, body))
    assert missed == []
