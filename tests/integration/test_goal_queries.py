"""Goal queries over the projected read models: visibility, filters, pagination, roll-up,
statement counts, and projections that are idempotent and equal when rebuilt."""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
import pytest

from application.identity import Actor
from application.momentum import Momentum
from projections.goals import queries as goal_reader
from projections.sql import fetch_all, uuids_as_text
from settings import Settings
from tests.integration.org import ADA, ADMIN, BOB, EVE, MAYA, build_org
from tests.integration.readside import Counter, envelopes, project, query

GOAL = "query($id: ID!) { goal(id: $id) { id title } }"
LIST = """query($filter: GoalFilterInput, $first: Int!, $after: String) {
  goals(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id title status stale } } pageInfo { hasNextPage endCursor } } }"""


def data(settings: Settings, app: Momentum, text: str, actor: Actor, **variables: Any) -> Any:
    result = query(settings, app, text, actor, **variables)
    assert result.errors is None, result.errors
    return result.data


def titles(settings: Settings, app: Momentum, actor: Actor, **filter: Any) -> list[str]:
    found = data(settings, app, LIST, actor, filter=filter, first=100)["goals"]["edges"]
    return sorted(e["node"]["title"] for e in found)


@pytest.fixture
def org(momentum: Momentum, settings: Settings) -> str:
    cycle = build_org(momentum)
    for owner, visibility in (("ada", "private"), ("ada", "team"), ("bob", "public")):
        momentum.goals.create_goal(
            ADMIN,
            title=f"{owner}-{visibility}",
            owner_id=owner,
            visibility=visibility,
            cycle_id=cycle,
        )
    momentum.goals.create_goal(
        ADMIN,
        title="ops-team",
        owner_kind="team",
        owner_id="ops",
        visibility="team",
        cycle_id=cycle,
    )
    project(settings, envelopes(momentum, settings))
    return cycle


def test_a_private_goal_is_seen_by_its_owner_their_manager_and_admins_only(
    momentum: Momentum, settings: Settings, org: str
) -> None:
    assert "ada-private" in titles(settings, momentum, ADA)
    assert "ada-private" in titles(settings, momentum, MAYA)
    assert "ada-private" in titles(settings, momentum, ADMIN)
    assert "ada-private" not in titles(settings, momentum, BOB)
    assert "ada-private" not in titles(settings, momentum, EVE)
    private_id = next(
        e["node"]["id"]
        for e in data(settings, momentum, LIST, ADA, first=10)["goals"]["edges"]
        if e["node"]["title"] == "ada-private"
    )
    assert data(settings, momentum, GOAL, BOB, id=private_id)["goal"] is None
    assert data(settings, momentum, GOAL, MAYA, id=private_id)["goal"]["title"] == "ada-private"


def test_a_team_goal_is_seen_by_the_owners_team(
    momentum: Momentum, settings: Settings, org: str
) -> None:
    assert titles(settings, momentum, BOB) == ["ada-team", "bob-public"]
    assert titles(settings, momentum, EVE) == ["bob-public", "ops-team"]


def test_goals_filter_by_owner_team_state_cycle_and_staleness(
    momentum: Momentum, settings: Settings, org: str
) -> None:
    assert titles(settings, momentum, ADMIN, owner="ada") == ["ada-private", "ada-team"]
    assert titles(settings, momentum, ADMIN, team="ops") == ["ops-team"]
    assert titles(settings, momentum, ADMIN, team="core") == [
        "ada-private",
        "ada-team",
        "bob-public",
    ]
    assert titles(settings, momentum, ADMIN, state="ACTIVE") == []
    assert len(titles(settings, momentum, ADMIN, state="DRAFT", cycle=org)) == 4
    assert titles(settings, momentum, ADMIN, stale=True) == []
    with psycopg.connect(settings.database_url) as conn:
        conn.execute(
            "UPDATE goals SET created_at = now() - interval '15 days' WHERE title = 'bob-public'"
        )
    assert titles(settings, momentum, ADMIN, stale=True) == ["bob-public"]
    assert "bob-public" not in titles(settings, momentum, ADMIN, stale=False)


def test_goals_page_with_relay_cursors_and_a_capped_page_size(
    momentum: Momentum, settings: Settings, org: str
) -> None:
    first = data(settings, momentum, LIST, ADMIN, first=3)["goals"]
    assert len(first["edges"]) == 3 and first["pageInfo"]["hasNextPage"]
    rest = data(settings, momentum, LIST, ADMIN, first=3, after=first["pageInfo"]["endCursor"])[
        "goals"
    ]
    assert len(rest["edges"]) == 1 and not rest["pageInfo"]["hasNextPage"]
    seen = [e["node"]["id"] for e in first["edges"] + rest["edges"]]
    assert len(set(seen)) == 4
    for variables in ({"first": 101}, {"first": 2, "after": "bogus"}):
        result = query(settings, momentum, LIST, ADMIN, **variables)
        assert [e.extensions["code"] for e in result.errors] == ["VALIDATION"]


PAGE = """query { goals(first: 50) { edges { node {
  id title progress stale cycle { name }
  keyResults { id title kind progress }
  owner { ... on Person { id name } ... on Team { id name } } } } } }"""


def test_a_page_of_50_goals_with_key_results_and_owners_costs_a_handful_of_statements(
    momentum: Momentum, settings: Settings
) -> None:
    cycle = build_org(momentum)
    for n in range(50):
        owner = ("ada", "bob", "maya")[n % 3]
        goal = str(
            momentum.goals.create_goal(ADMIN, title=f"g{n}", owner_id=owner, cycle_id=cycle).aggregate_id
        )
        for kind in ("increase_to", "milestone"):
            momentum.goals.add_key_result(ADMIN, goal, title=kind, kind=kind, start=0, target=10)
    project(settings, envelopes(momentum, settings))
    Counter.statements = 0
    page = data(settings, momentum, PAGE, ADMIN)["goals"]["edges"]
    assert len(page) == 50 and all(len(e["node"]["keyResults"]) == 2 for e in page)
    assert {e["node"]["owner"]["name"] for e in page} == {"Ada", "Bob", "Maya"}
    assert 1 <= Counter.statements <= 6, Counter.statements


def test_projections_are_idempotent_and_a_rebuild_equals_the_live_read_model(
    momentum: Momentum, settings: Settings
) -> None:
    cycle = build_org(momentum)
    goal = str(momentum.goals.create_goal(ADA, title="Ship", cycle_id=cycle).aggregate_id)
    result, key_result = momentum.goals.add_key_result(
        ADA, goal, title="Users", kind="increase_to", start=0, target=100
    )
    momentum.goals.check_in_key_result(ADA, goal, key_result, value=40, confidence=6, note="ok")
    momentum.goals.propose_goal(ADA, goal, "please")
    momentum.goals.approve_goal(MAYA, goal)
    momentum.goals.revise_target(ADA, goal, key_result, target=80, reason="smaller market")
    events = envelopes(momentum, settings)
    project(settings, events, batch=3)
    live = snapshot(settings)
    project(settings, events, batch=7)  # everything redelivered
    assert snapshot(settings) == live
    with psycopg.connect(settings.database_url) as conn:
        for table in TABLES:
            conn.execute(f"TRUNCATE {table}")
    project(settings, events, batch=len(events))
    assert snapshot(settings) == live


TABLES = (
    "goals",
    "goal_key_results",
    "goal_check_ins",
    "goal_target_revisions",
    "goal_dialogue",
    "people",
    "teams",
    "cycles",
)


def snapshot(settings: Settings) -> dict[str, list[Any]]:
    with psycopg.connect(settings.database_url) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES}


TREE = "query($cycle: ID!) { goalTree(cycleId: $cycle) { goal { title } progress children { goal { title } } } }"


def test_the_goal_tree_hides_what_the_viewer_may_not_see_but_still_rolls_it_up(
    momentum: Momentum, settings: Settings
) -> None:
    cycle = build_org(momentum)
    top = str(momentum.goals.create_goal(MAYA, title="Top", cycle_id=cycle, rolls_up=True).aggregate_id)
    secret = str(
        momentum.goals.create_goal(
            ADA, title="Secret", cycle_id=cycle, parent_id=top, visibility="private"
        ).aggregate_id
    )
    _, launch = momentum.goals.add_key_result(ADA, secret, title="Launch", kind="milestone")
    momentum.goals.check_in_key_result(ADA, secret, launch, value=1)
    project(settings, envelopes(momentum, settings))
    assert data(settings, momentum, TREE, BOB, cycle=cycle)["goalTree"] == [
        {"goal": {"title": "Top"}, "progress": 100.0, "children": []}
    ]
    assert data(settings, momentum, TREE, MAYA, cycle=cycle)["goalTree"] == [
        {"goal": {"title": "Top"}, "progress": 100.0, "children": [{"goal": {"title": "Secret"}}]}
    ]


def test_a_goal_read_with_its_subtree_in_one_statement_has_the_rows_and_types_the_api_reads(
    momentum: Momentum, settings: Settings
) -> None:
    cycle = build_org(momentum)
    top = str(momentum.goals.create_goal(MAYA, title="Top", cycle_id=cycle, rolls_up=True).aggregate_id)
    child = str(momentum.goals.create_goal(ADA, title="Child", cycle_id=cycle, parent_id=top,
                                           visibility="private").aggregate_id)
    _, launch = momentum.goals.add_key_result(ADA, child, title="Launch", kind="milestone")
    _, hires = momentum.goals.add_key_result(MAYA, top, title="Hires", kind="increase_to", target=4)
    momentum.goals.check_in_key_result(ADA, child, launch, value=1)
    momentum.goals.check_in_key_result(MAYA, top, hires, value=2)
    project(settings, envelopes(momentum, settings))
    maya, bob = goal_reader.Viewer("maya", admin=False), goal_reader.Viewer("bob", admin=False)

    async def read() -> dict[str, Any]:
        async with await psycopg.AsyncConnection.connect(settings.database_url, context=uuids_as_text()) as conn:
            stored = {
                "tree": await fetch_all(conn, "SELECT id, parent_id, rolls_up, weight, status, progress FROM goals "
                                              "WHERE id = ANY(%s::uuid[]) ORDER BY created_sequence", ([top, child],)),
                "key_results": await fetch_all(conn, "SELECT * FROM goal_key_results ORDER BY goal_id, position", ()),
                "top": await fetch_all(conn, "SELECT * FROM goal_key_results WHERE goal_id = %s", (top,)),
            }
            return {
                "stored": stored,
                "with_subtree": await goal_reader.goal_with(conn, maya, top, subtree=True, key_results=True),
                "with_key_results": await goal_reader.goal_with(conn, maya, top, subtree=False, key_results=True),
                "alone": await goal_reader.goal_with(conn, maya, top, subtree=False, key_results=False),
                "subtrees": await goal_reader.subtrees_with_key_results(conn, [top]),
                "hidden": await goal_reader.goal_with(conn, bob, child, subtree=True, key_results=True),
            }

    found = asyncio.run(read())
    stored = found["stored"]
    goal, tree, results = found["with_subtree"]
    assert goal is not None and goal["title"] == "Top" and "tree_json" not in goal
    assert typed(sorted(tree, key=lambda g: g["id"] != stored["tree"][0]["id"])) == typed(stored["tree"])
    assert typed(results) == typed(stored["key_results"])
    assert any(r["last_check_in_at"] is not None for r in results)
    assert found["with_key_results"][1:] == ([], stored["top"]) and typed(found["with_key_results"][2]) == typed(
        stored["top"])
    assert found["alone"][1:] == ([], []) and set(found["alone"][0]) == set(goal)
    assert typed(found["subtrees"][1]) == typed(stored["key_results"])
    assert found["hidden"] == (None, [], [])  # ada's private child: bob may not see it


def typed(rows: list[dict[str, Any]]) -> list[list[tuple[str, Any, type]]]:
    """Rows with each value's type: 1 and 1.0 are equal, an int and a float are not."""
    return [[(column, value, type(value)) for column, value in sorted(row.items())] for row in rows]
