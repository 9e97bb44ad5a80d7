import pytest

from domain import key_results as kr
from domain.errors import ValidationError


@pytest.mark.parametrize(
    ("kind", "start", "target", "value", "expected"),
    [
        ("increase_to", 0, 200, 50, 25.0),
        ("increase_to", 100, 200, 250, 100.0),
        ("increase_to", 100, 200, 90, 0.0),
        ("decrease_to", 40, 10, 25, 50.0),
        ("decrease_to", 40, 10, 5, 100.0),
        ("stay_above", 0, 95, 96, 100.0),
        ("stay_above", 0, 95, 94.9, 0.0),
        ("stay_below", 0, 2, 2, 100.0),
        ("stay_below", 0, 2, 3, 0.0),
        ("milestone", 0, 1, 1, 100.0),
        ("milestone", 0, 1, 0, 0.0),
    ],
)
def test_progress_is_computed_per_kind(
    kind: str, start: float, target: float, value: float, expected: float
) -> None:
    assert kr.progress(kind, start, target, value) == expected


@pytest.mark.parametrize(
    ("kind", "start", "target"),
    [
        ("increase_to", 10, 10),
        ("increase_to", 10, 5),
        ("decrease_to", 5, 10),
        ("stay_above", "a", 1),
    ],
)
def test_a_target_must_lie_in_the_direction_of_the_kind(
    kind: str, start: object, target: object
) -> None:
    with pytest.raises(ValidationError):
        kr.checked_range(kind, start, target)


def test_a_milestone_always_runs_from_not_done_to_done() -> None:
    assert kr.checked_range("milestone", 7, 9) == (0.0, 1.0)
    with pytest.raises(ValidationError):
        kr.checked_value("milestone", 0.5)


@pytest.mark.parametrize("kind", ["percentage", "", None])
def test_unknown_kinds_are_refused(kind: object) -> None:
    with pytest.raises(ValidationError):
        kr.checked_kind(kind)
