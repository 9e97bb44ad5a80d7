"""Validation of values that commands accept, shared by every aggregate: every number that
reaches an event is finite and within MAX_MAGNITUDE, every string is text PostgreSQL and UTF-8
can hold (no NUL, no lone surrogate). `storable` checks a whole event's values the same way."""

import math
import re
from collections.abc import Mapping
from functools import cache

from domain.errors import ValidationError

TITLE_MAX = 200
TEXT_MAX = 5000
MAX_MAGNITUDE = 1e15  # |n| of any number an event holds: differences and ratios of two stay finite
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(value: str, field: str) -> str:
    """`value` unless it holds a NUL (PostgreSQL text and jsonb refuse it) or a lone surrogate
    (it has no UTF-8 encoding)."""
    if "\x00" in value:
        raise ValidationError(f"{field} contains a NUL character", field=field)
    if LONE_SURROGATE.search(value):
        raise ValidationError(f"{field} contains a lone surrogate, which is not text", field=field)
    return value


def clean_text(value: object, field: str, *, required: bool, max_length: int) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be a string", field=field)
    text = value.strip()
    if required and not text:
        raise ValidationError(f"{field} must not be empty", field=field)
    if len(text) > max_length:
        raise ValidationError(f"{field} is longer than {max_length} characters", field=field)
    return valid_text(text, field)


def free_text(value: object, field: str, *, required: bool = False) -> str:
    """A description, reason, comment or note: up to TEXT_MAX characters."""
    return clean_text(value, field, required=required, max_length=TEXT_MAX)


def name_text(value: object, field: str) -> str:
    """A required title, name or address: up to TITLE_MAX characters."""
    return clean_text(value, field, required=True, max_length=TITLE_MAX)


def number_between(value: object, field: str, low: float, high: float) -> float:
    number = _number(value, field)
    if not math.isfinite(number) or not low <= number <= high:
        raise ValidationError(f"{field} must be between {low:g} and {high:g}", field=field)
    return number


def _number(value: object, field: str) -> float:
    """`value` as a float; NaN or ±inf for a number too large to be one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{field} must be a number", field=field)
    if isinstance(value, int) and abs(value) > MAX_MAGNITUDE:
        return math.inf
    return float(value)


def whole_number_between(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{field} must be a whole number", field=field)
    if not low <= value <= high:
        raise ValidationError(f"{field} must be between {low} and {high}", field=field)
    return value


def identifier(value: object, field: str) -> str:
    return clean_text(value, field, required=True, max_length=100)


def finite_number(value: object, field: str) -> float:
    """A number between -MAX_MAGNITUDE and MAX_MAGNITUDE."""
    number = _number(value, field)
    if not math.isfinite(number) or abs(number) > MAX_MAGNITUDE:
        raise ValidationError(f"{field} must be a finite number between {-MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}",
                              field=field)
    return number


def choice(value: object, choices: tuple[str, ...], field: str) -> str:
    if value not in choices:
        raise ValidationError(f"{field} must be one of {choices}", field=field)
    return str(value)


def other_people(values: object, field: str, *, me: str, most: int, noun: str) -> list[str]:
    """A list of 1 to `most` distinct person ids, without `me`."""
    if not isinstance(values, list) or not values:
        raise ValidationError(f"name at least one {noun}", field=field)
    people = [identifier(p, field) for p in values]
    if len(people) > most:
        raise ValidationError(f"at most {most} {noun}s at once", field=field)
    if len(set(people)) != len(people):
        raise ValidationError(f"each {noun} is named once", field=field)
    if me in people:
        raise ValidationError(f"a {noun} is someone else, not yourself", field=field)
    return people


def storable(values: Mapping[str, object]) -> None:
    """Every string (keys too) and number in an event's `values`, at any depth, as the checks
    above require; the field of the first offender is named in camelCase."""
    for name, value in values.items():
        _storable(value, _camel(name))


def _storable(value: object, field: str) -> None:
    if isinstance(value, str):
        valid_text(value, field)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        finite_number(value, field)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _storable(key, field)
            _storable(item, field)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _storable(item, field)


@cache  # the names are the events' field names, a closed set; this ran for every field of every event
def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)
