"""The write side decides who may see a goal with shared.visibility.may_see_goal on the event
store's facts, the read side with the SQL of projections.reader.VISIBLE: both agree for every
viewer and every goal."""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg

from application.identity import Actor
from application.momentum import Momentum
from projections.goals import queries as reader
from settings import Settings
from tests.integration.org import ADA, ADMIN, BOB, EVE, MAYA, build_org
from tests.integration.readside import envelopes, project

ZED = Actor("zed")  # signed in, not in the directory
VIEWERS = (ADMIN, MAYA, ADA, BOB, EVE, ZED)


def goals_of_every_kind(app: Momentum) -> list[str]:
    """Each visibility for a person with a manager and a team, a person with neither manager nor
    team-mates, a person outside the directory, a team with a lead who has a manager, and a team
    without a lead."""
    app.directory.update_person(ADMIN, "maya", name="Maya", email="maya@example.com", team_id="core", manager_id="eve")
    ids = []
    for visibility in ("public", "team", "private"):
        for actor, kind, owner in ((ADMIN, "person", "ada"), (ADMIN, "person", "eve"), (ZED, "person", "zed"),
                                   (ADMIN, "team", "core"), (ADMIN, "team", "ops")):
            stored = app.goals.create_goal(actor, title=f"{owner} {visibility}", owner_kind=kind, owner_id=owner,
                                     visibility=visibility)
            ids.append(str(stored.aggregate_id))
    return ids


async def read_side_sees(settings: Settings, viewer: Actor, goal_id: str) -> bool:
    async with await psycopg.AsyncConnection.connect(settings.database_url) as conn:
        return await reader.goal(conn, reader.Viewer(viewer.id, viewer.is_admin), goal_id) is not None


def test_the_write_side_and_the_read_side_agree_on_who_sees_each_goal(momentum: Momentum, settings: Settings) -> None:
    build_org(momentum)
    goals = goals_of_every_kind(momentum)
    project(settings, envelopes(momentum, settings))
    seen: dict[tuple[str, str], Any] = {}
    for viewer in VIEWERS:
        for goal_id in goals:
            goal = momentum.goals.get_goal(goal_id)
            write_side = momentum.goals.sees_goal(viewer, goal)
            assert write_side == asyncio.run(read_side_sees(settings, viewer, goal_id)), (viewer.id, goal.title)
            seen[viewer.id, goal.title] = write_side
    assert not seen["eve", "ada private"] and seen["maya", "ada private"] and seen["bob", "ada team"]
    assert seen["eve", "core private"] and not seen["bob", "core private"] and not seen["zed", "ada team"]
