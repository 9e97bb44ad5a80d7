import pytest

from domain.errors import ValidationError
from domain.goal import Goal


def new_goal(**overrides: object) -> Goal:
    fields: dict[str, object] = {"title": "Ship v1", "owner_id": "ada", "actor": "ada"}
    fields.update(overrides)
    return Goal.create(**fields)  # type: ignore[arg-type]


def test_a_new_goal_is_a_draft_with_no_progress() -> None:
    goal = new_goal(title="  Ship v1  ", description="the first release")
    assert (goal.title, goal.description, goal.status) == ("Ship v1", "the first release", "draft")
    assert goal.progress == 0.0
    assert [type(e).__name__ for e in goal.collect_events()] == ["Created"]


@pytest.mark.parametrize("title", ["", "   ", "x" * 201, 42, None])
def test_a_goal_needs_a_sensible_title(title: object) -> None:
    with pytest.raises(ValidationError) as raised:
        new_goal(title=title)
    assert raised.value.field == "title"


@pytest.mark.parametrize(
    ("field", "value"), [("owner_kind", "robot"), ("visibility", "secret"), ("owner_id", "")]
)
def test_a_goal_refuses_unknown_choices(field: str, value: str) -> None:
    with pytest.raises(ValidationError):
        new_goal(**{field: value})


def test_a_check_in_moves_progress_and_keeps_confidence_apart() -> None:
    goal = new_goal()
    goal.record_check_in(progress=40, confidence=7, note="halfway-ish", actor="ada")
    goal.record_check_in(progress=55.5, actor="ada")
    assert (goal.progress, goal.confidence, goal.check_in_count) == (55.5, None, 2)
    assert goal.version == 3


@pytest.mark.parametrize("progress", [-0.1, 100.01, float("nan"), float("inf"), "50", True])
def test_progress_stays_within_0_and_100(progress: object) -> None:
    goal = new_goal()
    goal.collect_events()
    with pytest.raises(ValidationError):
        goal.record_check_in(progress=progress, actor="ada")  # type: ignore[arg-type]
    assert goal.collect_events() == []
    assert goal.version == 1


@pytest.mark.parametrize("confidence", [-1, 11, 5.5])
def test_confidence_is_a_whole_number_from_0_to_10(confidence: object) -> None:
    with pytest.raises(ValidationError):
        new_goal().record_check_in(progress=1, confidence=confidence, actor="ada")  # type: ignore[arg-type]


def test_renaming_to_the_same_title_records_nothing() -> None:
    goal = new_goal()
    goal.collect_events()
    goal.change_title(" Ship v1 ", actor="ada")
    assert goal.collect_events() == []
    goal.change_title("Ship v2", actor="bob", reason="scope grew")
    [renamed] = goal.collect_events()
    assert (renamed.title, renamed.reason, renamed.actor) == ("Ship v2", "scope grew", "bob")
