"""The gamification rules over facts: points per day, levels, badges, streaks, ranks, and
the privacy rule subscriptions use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from projections.feedback.visibility import may_see_feedback
from projections.gamification import rules as r
from projections.gamification.rules import Count, Fact, Rules
from projections.gamification.standing import leaderboard, standing

MONDAY = datetime(2027, 3, 1, 9, tzinfo=UTC)


def fact(kind: str, days: float, amount: int = 0, n: int = 0) -> Fact:
    return Fact(f"e{kind}{days}{n}", "ada", kind, MONDAY + timedelta(days=days), amount, int(days * 100) + n)


def test_check_ins_and_feedback_score_once_per_day() -> None:
    facts = [fact(r.CHECK_IN, 0), fact(r.CHECK_IN, 0.2), fact(r.CHECK_IN, 1), fact(r.FEEDBACK_GIVEN, 1),
             fact(r.KUDOS_RECEIVED, 2, amount=7), fact(r.KEY_RESULT_ACHIEVED, 3), fact(r.GOAL_COMPLETED, 3)]
    assert Rules().points(r.counts(facts)) == 2 * 5 + 2 + 7 + 20 + 30
    assert Rules(check_in_day=1).points(r.counts(facts)) == 2 + 2 + 7 + 20 + 30


def test_levels_follow_the_thresholds() -> None:
    rules = Rules(level_thresholds=(0, 10, 30))
    assert [rules.level(p) for p in (0, 9, 10, 29, 30, 999)] == [
        (1, 10), (1, 10), (2, 30), (2, 30), (3, None), (3, None)
    ]


def test_a_streak_counts_consecutive_weeks_and_earns_its_badge_in_the_nth_week() -> None:
    weeks = [fact(r.CHECK_IN, 7 * w + 2) for w in (0, 1, 2, 4, 5, 6, 7)]
    found = standing(weeks, Rules(streak_weeks=4), MONDAY + timedelta(days=7 * 7 + 3))
    assert (found.current_streak, found.longest_streak) == (4, 4)
    streak = next(b for b in found.badges if b.id == "check-in-streak")
    assert streak.earned_at == MONDAY + timedelta(days=7 * 7 + 2)
    assert standing(weeks, Rules(streak_weeks=5), MONDAY).badges[-1].id == "first-check-in"
    assert standing(weeks, Rules(), MONDAY + timedelta(days=7 * 9)).current_streak == 0


def test_count_badges_are_earned_by_the_nth_fact() -> None:
    given = [fact(r.KUDOS_GIVEN, d, n=d) for d in range(10)]
    assert [b.id for b in standing(given[:9], Rules(), MONDAY).badges] == []
    badge = standing(given, Rules(), MONDAY).badges[0]
    assert (badge.id, badge.earned_at) == ("kudos-given", MONDAY + timedelta(days=9))


def test_equal_points_share_a_rank_and_nobody_without_points_is_ranked() -> None:
    counts = {p: {r.KUDOS_RECEIVED: Count(1, 1, n)} for p, n in (("cid", 5), ("ada", 9), ("bob", 5), ("dan", 0))}
    assert [(x.rank, x.person_id) for x in leaderboard(counts, Rules(), 10)] == [(1, "ada"), (2, "bob"), (2, "cid")]


def test_a_rule_change_changes_the_rules_version() -> None:
    assert Rules().version == Rules().version != Rules(streak_weeks=3).version


def test_feedback_is_seen_by_author_recipient_and_the_visibility_s_audience_only() -> None:
    item = {"author_id": "ada", "recipient_id": "bob", "manager_id": "maya"}
    seen = {
        v: {who for who in ("ada", "bob", "maya", "eve", "root") if may_see_feedback(who, {**item, "visibility": v})}
        for v in ("private", "manager", "public")
    }
    assert seen == {
        "private": {"ada", "bob"},
        "manager": {"ada", "bob", "maya"},
        "public": {"ada", "bob", "maya", "eve", "root"},
    }
