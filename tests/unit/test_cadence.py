"""Check-in cadence and due moments: pure domain rules, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.cadence import add_periods, adherence, first_due, latest_due
from domain.errors import ValidationError
from domain.goal import Goal
from domain.reminders import CheckInReminder

BASE = datetime(2027, 1, 31, 9, tzinfo=UTC)


@pytest.mark.parametrize(("cadence", "due"), [
    ("weekly", datetime(2027, 2, 7, 9, tzinfo=UTC)),
    ("biweekly", datetime(2027, 2, 14, 9, tzinfo=UTC)),
    ("monthly", datetime(2027, 2, 28, 9, tzinfo=UTC)),  # January 31st + a month: February's last day
])
def test_a_check_in_is_due_one_cadence_period_after_the_last(cadence: str, due: datetime) -> None:
    assert first_due(BASE, cadence) == due


def test_a_month_keeps_the_day_of_the_base() -> None:
    assert add_periods(BASE, "monthly", 2) == datetime(2027, 3, 31, 9, tzinfo=UTC)
    assert add_periods(BASE, "monthly", 12) == datetime(2028, 1, 31, 9, tzinfo=UTC)


@pytest.mark.parametrize(("cadence", "now", "due"), [
    ("weekly", BASE + timedelta(days=6, hours=23), None),
    ("weekly", BASE + timedelta(days=7), BASE + timedelta(days=7)),
    ("weekly", BASE + timedelta(days=20), BASE + timedelta(days=14)),
    ("biweekly", BASE + timedelta(days=43), BASE + timedelta(days=42)),
    ("monthly", datetime(2027, 2, 27, tzinfo=UTC), None),
    ("monthly", datetime(2027, 5, 30, tzinfo=UTC), datetime(2027, 4, 30, 9, tzinfo=UTC)),
    ("monthly", datetime(2030, 1, 31, 9, tzinfo=UTC), datetime(2030, 1, 31, 9, tzinfo=UTC)),
])
def test_the_latest_due_moment_is_the_last_whole_period_before_now(
    cadence: str, now: datetime, due: datetime | None
) -> None:
    assert latest_due(BASE, cadence, now) == due


def test_a_goal_is_weekly_until_its_cadence_changes_once() -> None:
    goal = Goal.create(title="Ship", owner_id="ada", actor="ada")
    assert goal.check_in_cadence == "weekly"
    goal.set_cadence("weekly", actor="ada")
    goal.set_cadence("monthly", actor="ada")
    assert goal.check_in_cadence == "monthly"
    assert [type(e).__name__ for e in goal.collect_events()] == ["Created", "CadenceChanged"]


@pytest.mark.parametrize("cadence", ["daily", "WEEKLY", "", None, 7])
def test_an_unknown_cadence_is_refused(cadence: object) -> None:
    goal = Goal.create(title="Ship", owner_id="ada", actor="ada")
    with pytest.raises(ValidationError) as raised:
        goal.set_cadence(cadence, actor="ada")  # type: ignore[arg-type]
    assert raised.value.field == "checkInCadence"


def test_a_goal_snapshot_of_version_2_reads_as_weekly() -> None:
    state: dict[str, object] = {}
    Goal.upcast_v2_v3(state)
    assert state == {"check_in_cadence": "weekly"}


def test_a_reminder_id_is_the_same_for_the_same_goal_and_due_moment() -> None:
    first = CheckInReminder.create_id("g", "2027-02-07T09:00:00+00:00")
    assert first == CheckInReminder.create_id("g", "2027-02-07T09:00:00+00:00")
    assert first != CheckInReminder.create_id("g", "2027-02-14T09:00:00+00:00")
    assert first != CheckInReminder.create_id("h", "2027-02-07T09:00:00+00:00")


def test_recording_the_same_due_check_in_twice_stores_it_once() -> None:
    from application.momentum import Momentum

    app = Momentum()
    first = app.reminders.record_due(goal_id="g", person_id="ada", cadence="weekly", due_at="2027-02-07T09:00:00+00:00")
    again = app.reminders.record_due(goal_id="g", person_id="ada", cadence="weekly", due_at="2027-02-07T09:00:00+00:00")
    later = app.reminders.record_due(goal_id="g", person_id="ada", cadence="weekly", due_at="2027-02-14T09:00:00+00:00")
    assert first is not None and again is None and later is not None
    assert app.recorder.max_notification_id() == 2
    app.close()


def test_adherence_counts_whole_periods_with_a_check_in() -> None:
    start = datetime(2027, 3, 1, 9, tzinfo=UTC)
    end = datetime(2027, 3, 29, 12, tzinfo=UTC)
    check_ins = [datetime(2027, 3, 8, 10, tzinfo=UTC), datetime(2027, 3, 9, tzinfo=UTC),
                 datetime(2027, 3, 15, 10, tzinfo=UTC), datetime(2027, 3, 29, 10, tzinfo=UTC)]
    assert adherence(start, end, "weekly", check_ins) == (4, 2)  # 03-29 10:00 is in the unfinished fifth week
    assert adherence(start, end, "biweekly", check_ins) == (2, 2)
    assert adherence(start, end, "monthly", check_ins) == (0, 0)
    assert adherence(end, start, "weekly", check_ins) == (0, 0)
