"""A small GraphQL-over-HTTP client for end-to-end tests."""

from __future__ import annotations

from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from api.auth import issue_token
from settings import Settings

CREATE_GOAL = """
mutation Create($input: CreateGoalInput!) {
  createGoal(input: $input) { goalId version sequence }
}"""
RECORD_CHECK_IN = """
mutation CheckIn($input: RecordCheckInInput!) {
  recordCheckIn(input: $input) { goalId version sequence }
}"""
GOAL = """
query Goal($id: ID!, $consistency: Int) {
  goal(id: $id, consistency: $consistency) {
    id title ownerId status progress confidence checkInCount version sequence
    checkIns { version progress confidence note actor sequence }
  }
}"""


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def api_base(settings: Settings) -> str:
    """The address of the API that `settings` names, without a path."""
    return f"http://{settings.api_host}:{settings.api_port}"


def metrics(settings: Settings) -> Samples:
    """Every sample of the API's /metrics, by (name, sorted labels)."""
    response = httpx.get(f"{api_base(settings)}/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def metric(settings: Settings, name: str) -> float:
    """The sum of the samples named `name`, over all their labels (0 when there are none)."""
    return sum(value for (sample, _), value in metrics(settings).items() if sample == name)


class GraphQL:
    def __init__(self, settings: Settings, subject: str = "ada", roles: tuple[str, ...] = ()) -> None:
        self.url = f"{api_base(settings)}/graphql"
        self.token = issue_token(settings, subject, list(roles))
        self.http = httpx.Client(timeout=30)

    def post(self, query: str, variables: dict[str, Any] | None = None, **headers: str) -> httpx.Response:
        return self.http.post(
            self.url,
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {self.token}", **headers},
        )

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self.post(query, variables).json()
        assert "errors" not in body, body
        result: dict[str, Any] = body["data"]
        return result

    def create_goal(self, title: str, **fields: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.data(CREATE_GOAL, {"input": {"title": title, **fields}})["createGoal"]
        return result

    def check_in(self, goal_id: str, progress: float, **fields: Any) -> dict[str, Any]:
        variables = {"input": {"goalId": goal_id, "progress": progress, **fields}}
        result: dict[str, Any] = self.data(RECORD_CHECK_IN, variables)["recordCheckIn"]
        return result

    def goal(self, goal_id: str, consistency: int | None = None) -> dict[str, Any] | None:
        result: dict[str, Any] | None = self.data(GOAL, {"id": goal_id, "consistency": consistency})["goal"]
        return result


INPUT_TYPES = {  # the input type of a mutation whose type is not its own name + "Input"
    "updatePerson": "RegisterPersonInput", "updateTeam": "RegisterTeamInput",
    "closeCycle": "CycleReasonInput", "reopenCycle": "CycleReasonInput",
    "proposeGoal": "GoalCommentInput", "approveGoal": "GoalCommentInput",
    "requestGoalChanges": "GoalCommentInput", "rejectGoal": "GoalReasonInput",
    "completeGoal": "GoalReasonInput", "abandonGoal": "GoalReasonInput",
    "reviseKeyResultTarget": "ReviseTargetInput",
}
GOAL_MUTATIONS = {
    "createGoal", "editGoal", "changeGoalTitle", "alignGoal", "changeGoalOwner",
    "proposeGoal", "approveGoal", "requestGoalChanges", "rejectGoal", "completeGoal", "abandonGoal",
    "proposeGoalChange", "addKeyResult", "reviseKeyResultTarget", "checkInKeyResult", "recordCheckIn",
    "moveGoalToCycle", "setCheckInCadence", "linkKeyResultMetric",
}


def mutation(name: str) -> str:
    input_type = INPUT_TYPES.get(name, f"{name[0].upper()}{name[1:]}Input")
    fields = "goalId keyResultId version sequence" if name in GOAL_MUTATIONS else "id version sequence"
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {fields} }} }}"


def mutate(client: GraphQL, command: str, /, **input: Any) -> dict[str, Any]:
    """Send the mutation `command` with `input`; fails the test on any error."""
    result: dict[str, Any] = client.data(mutation(command), {"input": input})[command]
    return result


def error_codes(client: GraphQL, command: str, /, **input: Any) -> list[str]:
    body = client.post(mutation(command), {"input": input}).json()
    return [e["extensions"]["code"] for e in body.get("errors", [])]


def build_feedback_org(admin: GraphQL) -> None:
    """Team core: maya manages ada and bob; eve has no manager; company value `ownership`."""
    mutate(admin, "registerTeam", teamId="core", name="Core")
    for person, manager in (("maya", None), ("ada", "maya"), ("bob", "maya"), ("eve", None)):
        mutate(admin, "registerPerson", personId=person, name=person.title(), email=f"{person}@example.com",
               managerId=manager, teamId="core")
    mutate(admin, "defineCompanyValue", valueId="ownership", name="Ownership")
