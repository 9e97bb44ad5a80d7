"""A seeded month in two teams of six: points, badges, levels, streaks and leaderboards as
expected; a rebuilt read model equals the live one; a changed rule, replayed, gives
consistent results, and the awarder records exactly the awards the rules now grant."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest

from application.identity import Actor
from application.momentum import Momentum
from consumers.awarder import Awarder
from domain.achievements import Achievements
from projections.gamification.queries import counts_between, facts_of_people
from projections.gamification.rules import Rules
from projections.gamification.standing import leaderboard, standing
from settings import Settings
from tests.integration.readside import envelopes, project, query
from tests.integration.scenario import clock, seed
from tests.stack import drop_database, fresh_settings

__all__ = ["clock"]

MARCH = (datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 4, 1, tzinfo=UTC))
NEW_RULES = Rules(check_in_day=10, streak_weeks=3, kudos_given_badge=5, kudos_received_badge=11,
                  level_thresholds=(0, 100, 200))
TABLES = ("feedback", "feedback_requests", "company_values", "kudos_allowances", "kudos", "gamification_facts",
          "gamification_goal_owners", "achievements", "people")
STANDING = """query($id: ID!, $period: String!) { person(id: $id) {
  points(period: $period) total: points level { number points nextLevelAt } badges { id earnedAt }
  streak { longest } } }"""
BOARD = """query($scope: LeaderboardScope!, $team: ID, $period: String!, $first: Int!) {
  leaderboard(scope: $scope, teamId: $team, period: $period, first: $first) { rank personId points } }"""


@pytest.fixture
def month(momentum: Momentum, settings: Settings, clock: Any) -> dict[str, Any]:
    found = seed(momentum)
    project(settings, envelopes(momentum, settings), batch=7)
    return found


def ask(settings: Settings, app: Momentum, text: str, **variables: Any) -> Any:
    result = query(settings, app, text, Actor("eve"), **variables)
    assert result.errors is None, result.errors
    return result.data


def board(settings: Settings, app: Momentum, period: str, first: int, team: str | None = None) -> list[tuple]:
    scope = "ORGANISATION" if team is None else "TEAM"
    rows = ask(settings, app, BOARD, scope=scope, team=team, period=period, first=first)["leaderboard"]
    return [(r["rank"], r["personId"], r["points"]) for r in rows]


def test_a_month_of_activity_gives_the_expected_points_badges_levels_and_leaderboards(
    momentum: Momentum, settings: Settings, month: dict[str, Any]
) -> None:
    ada = ask(settings, momentum, STANDING, id="ada", period="2027-03")["person"]
    assert (ada["points"], ada["total"], ada["level"]) == (102, 102, {"number": 2, "points": 102, "nextLevelAt": 150})
    assert [b["id"] for b in ada["badges"]] == [
        "first-check-in", "first-upward-feedback", "check-in-streak", "key-result-achieved", "goal-completed"
    ]
    assert ada["badges"][2]["earnedAt"] == "2027-03-22T11:00:00+00:00"
    assert ada["streak"] == {"longest": 4}
    pat = ask(settings, momentum, STANDING, id="pat", period="2027-03")["person"]
    assert (pat["points"], pat["level"]["number"], [b["id"] for b in pat["badges"]]) == (
        65, 2, ["first-check-in", "kudos-received"]
    )
    bob = ask(settings, momentum, STANDING, id="bob", period="2027-03")["person"]
    assert (bob["points"], bob["total"], bob["level"]["number"], bob["streak"]) == (20, 25, 1, {"longest": 1})
    for person, badges in (("tom", ["kudos-given"]), ("quinn", ["first-upward-feedback"]), ("maya", []),
                           ("rae", []), ("zoe", [])):
        found = ask(settings, momentum, STANDING, id=person, period="2027-03")["person"]["badges"]
        assert [b["id"] for b in found] == badges, person

    assert board(settings, momentum, "2027-03", 7) == [
        (1, "ada", 102), (2, "pat", 65), (3, "bob", 20), (4, "cid", 10), (5, "maya", 2), (5, "quinn", 2),
        (5, "rae", 2),
    ]
    assert board(settings, momentum, "2027-03", 3, team="ops") == [(1, "pat", 65), (2, "quinn", 2), (2, "rae", 2)]
    assert board(settings, momentum, "2027-03", 10, team="core") == [
        (1, "ada", 102), (2, "bob", 20), (3, "cid", 10), (4, "maya", 2)
    ]
    assert board(settings, momentum, "2027-W12", 10) == [(1, "ada", 55)]
    assert board(settings, momentum, "2027-04", 10) == [(1, "bob", 5)]


def test_the_current_streak_runs_while_last_week_has_a_check_in(
    momentum: Momentum, settings: Settings, month: dict[str, Any]
) -> None:
    facts = asyncio.run(_facts(settings, ["ada"]))["ada"]
    assert standing(facts, Rules(), datetime(2027, 3, 28, tzinfo=UTC)).current_streak == 4
    assert standing(facts, Rules(), datetime(2027, 4, 4, tzinfo=UTC)).current_streak == 4
    assert standing(facts, Rules(), datetime(2027, 4, 5, tzinfo=UTC)).current_streak == 0


async def _facts(settings: Settings, people: list[str]) -> Any:
    async with await psycopg.AsyncConnection.connect(settings.database_url) as conn:
        return await facts_of_people(conn, people)


async def _march_board(settings: Settings, rules: Rules) -> list[tuple]:
    async with await psycopg.AsyncConnection.connect(settings.database_url) as conn:
        counts = await counts_between(conn, *MARCH, None)
    return [(r.rank, r.person_id, r.points) for r in leaderboard(counts, rules, 3)]


def checksums(settings: Settings) -> dict[str, str]:
    with psycopg.connect(settings.database_url) as conn:
        return {
            table: conn.execute(f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t")
            .fetchone()[0]
            for table in TABLES
        }


@pytest.fixture
def elsewhere() -> Iterator[Settings]:
    other = fresh_settings()
    yield other
    drop_database(other)


def by_aggregate(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Another order a partitioned topic may deliver: each aggregate's events stay in order."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        grouped[event["subject"]].append(event)
    return [e for subject in sorted(grouped, reverse=True) for e in grouped[subject]]


def award(settings: Settings, app: Momentum, rules: Rules) -> list[str]:
    """Run the awarder once over the projected facts; the event types it stored."""
    before = app.recorder.max_notification_id() or 0
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        Awarder(app, lambda: conn, rules, settings).award(conn)
    project(settings, envelopes(app, settings))
    stored = app.recorder.select_notifications(before + 1, 10_000)
    return [app.mapper.to_domain_event(n).__class__.__name__ for n in stored]


def test_a_changed_rule_replayed_gives_consistent_results_live_rebuilt_and_on_the_stream(
    momentum: Momentum, settings: Settings, month: dict[str, Any], elsewhere: Settings
) -> None:
    first = award(settings, momentum, Rules())
    assert first.count("BadgeAwarded") == 10 and first.count("Started") == 9
    assert award(settings, momentum, Rules()) == []  # idempotent: one award per badge per person

    assert asyncio.run(_march_board(settings, NEW_RULES)) == [(1, "ada", 122), (2, "pat", 80), (3, "bob", 30)]
    changed = award(settings, momentum, NEW_RULES)
    assert sorted(changed) == ["BadgeAwarded", "BadgeWithdrawn", "LevelReached"]
    pat = momentum.repository.get(Achievements.create_id("pat"))
    assert (pat.badges, pat.level) == ({"first-check-in", "check-in-streak"}, 1)
    last = list(momentum.repository.event_store.get(pat.id))[-3:]
    assert {e.rules_version for e in last} == {NEW_RULES.version} != {Rules().version}
    assert award(settings, momentum, NEW_RULES) == []

    project(elsewhere, by_aggregate(envelopes(momentum, settings)), batch=10_000)
    assert checksums(elsewhere) == checksums(settings)
    assert asyncio.run(_march_board(elsewhere, NEW_RULES)) == asyncio.run(_march_board(settings, NEW_RULES))


def test_leaderboard_arguments_are_validated(momentum: Momentum, settings: Settings, month: dict[str, Any]) -> None:
    def codes(**variables: Any) -> list[str]:
        result = query(settings, momentum, BOARD, Actor("eve"), **{"scope": "ORGANISATION", "team": None,
                                                                   "period": "2027-03", "first": 5, **variables})
        return [e.extensions["code"] for e in result.errors or []]

    for wrong in ({"scope": "TEAM"}, {"team": "core"}, {"period": "March"}, {"first": 101}, {"first": -1}):
        assert codes(**wrong) == ["VALIDATION"], wrong
    assert codes(scope="TEAM", team="core") == []
