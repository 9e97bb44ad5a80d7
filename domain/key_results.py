"""Key-result kinds, their targets and how far a value has come, 0–100 %. Pure."""

from __future__ import annotations

from domain.errors import ValidationError
from domain.rules import choice, finite_number, number_between

KINDS = ("increase_to", "decrease_to", "stay_above", "stay_below", "milestone")


def checked_kind(kind: object) -> str:
    return choice(kind, KINDS, "kind")


def checked_range(kind: str, start: object, target: object) -> tuple[float, float]:
    """(start, target) valid for `kind`; a milestone always goes from 0 (not done) to 1 (done)."""
    if kind == "milestone":
        return 0.0, 1.0
    low, high = finite_number(start, "start"), finite_number(target, "target")
    if kind == "increase_to" and high <= low:
        raise ValidationError("an increase-to target must be above the start", field="target")
    if kind == "decrease_to" and high >= low:
        raise ValidationError("a decrease-to target must be below the start", field="target")
    return low, high


def checked_value(kind: str, value: object) -> float:
    number = finite_number(value, "value")
    if kind == "milestone" and number not in (0.0, 1.0):
        raise ValidationError("a milestone's value is 1 (done) or 0 (not done)", field="value")
    return number


def progress(kind: str, start: float, target: float, value: float) -> float:
    """Percent of the way from start to target; guardrails and milestones are all or nothing."""
    if kind == "stay_above":
        return 100.0 if value >= target else 0.0
    if kind == "stay_below":
        return 100.0 if value <= target else 0.0
    if kind == "milestone":
        return 100.0 if value >= 1 else 0.0
    share = (value - start) / (target - start)
    # derived, so checked too: a NaN share (from non-finite inputs) would pass the clamp
    return number_between(round(min(max(share, 0.0), 1.0) * 100, 4), "progress", 0, 100)
