"""A page of goals with every list field a frontend asks for costs the same number of SQL
statements whatever its size: each list field is read for the whole page at once, never once per
goal (counted at the cursor, against the real PostgreSQL)."""

from __future__ import annotations

import asyncio
from typing import Any

from application.momentum import Momentum
from settings import Settings
from tests.integration.org import ADMIN, EVE, MAYA, build_org
from tests.integration.readside import Counter, envelopes, graphql, project

PAGE = """query($first: Int!) { goals(first: $first) { edges { node {
  id title progress stale cycle { name } pendingChange { title }
  keyResults { id title kind progress currentValue }
  checkIns { version value } targetRevisions { target reason } dialogue { kind text }
  feedback(first: 5) { text author { name points level { number } } recipient { name } }
  owner {
    ... on Person { id name points badges { id } manager { name } team { name lead { name } } reports { name } }
    ... on Team { id name lead { name } members { name } }
  } } } } }"""
OWNERS = (("person", "ada"), ("person", "bob"), ("person", "maya"), ("team", "core"))


def seed(momentum: Momentum, goals: int) -> None:
    """Goals of people and of a team, each with two key results, a check-in, a revised target,
    a proposal and a piece of feedback about it."""
    cycle = build_org(momentum)
    for n in range(goals):
        kind, owner = OWNERS[n % len(OWNERS)]
        goal = str(
            momentum.goals.create_goal(ADMIN, title=f"g{n}", owner_kind=kind, owner_id=owner, cycle_id=cycle)
            .aggregate_id
        )
        _, first = momentum.goals.add_key_result(ADMIN, goal, title="users", kind="increase_to", start=0, target=10)
        momentum.goals.add_key_result(ADMIN, goal, title="launch", kind="milestone")
        momentum.goals.check_in_key_result(ADMIN, goal, first, value=4)
        momentum.goals.revise_target(ADMIN, goal, first, target=20, reason="bigger")
        momentum.goals.propose_goal(ADMIN, goal, "please")
        recipient = "maya" if kind == "team" else owner
        momentum.feedback.give_feedback(
            EVE, recipient_id=recipient, kind="praise", visibility="public", text=f"f{n}", goal_id=goal
        )


def statements_for_a_page(settings: Settings, momentum: Momentum, first: int) -> tuple[int, list[Any]]:
    """On one connection: DataLoader batches that may merge by timing on several (never more
    statements, sometimes fewer) form the same way on every run."""

    async def run() -> Any:
        async with graphql(settings, momentum, connections=1) as execute:
            Counter.statements = 0
            return await execute(PAGE, MAYA, first=first)

    result = asyncio.run(run())
    assert result.errors is None, result.errors
    return Counter.statements, result.data["goals"]["edges"]


def test_a_page_of_1_10_or_50_goals_with_their_lists_costs_the_same_statements(
    momentum: Momentum, settings: Settings
) -> None:
    seed(momentum, 50)
    project(settings, envelopes(momentum, settings))
    counts = {}
    for first in (1, 10, 50):
        counts[first], edges = statements_for_a_page(settings, momentum, first)
        assert len(edges) == first
        for edge in edges:
            goal = edge["node"]
            assert [k["title"] for k in goal["keyResults"]] == ["users", "launch"]
            assert [c["value"] for c in goal["checkIns"]] == [4]
            assert [r["target"] for r in goal["targetRevisions"]] == [20]
            assert [e["kind"] for e in goal["dialogue"]] == ["PROPOSED"]
            assert [f["text"] for f in goal["feedback"]] == [f"f{goal['title'][1:]}"]
            assert goal["feedback"][0]["author"]["name"] == "Eve"
            assert goal["owner"]["name"] in {"Ada", "Bob", "Maya", "Core"}
            assert goal["owner"].get("lead", {"name": "Maya"})["name"] == "Maya"
    assert counts[1] == counts[10] == counts[50], counts
