"""Validation of values that commands accept, shared by every aggregate."""

import math

from domain.errors import ValidationError

TITLE_MAX = 200
TEXT_MAX = 5000


def clean_text(value: object, field: str, *, required: bool, max_length: int) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be a string", field=field)
    text = value.strip()
    if required and not text:
        raise ValidationError(f"{field} must not be empty", field=field)
    if len(text) > max_length:
        raise ValidationError(f"{field} is longer than {max_length} characters", field=field)
    if "\x00" in text:
        raise ValidationError(f"{field} contains a NUL character", field=field)
    return text


def free_text(value: object, field: str, *, required: bool = False) -> str:
    """A description, reason, comment or note: up to TEXT_MAX characters."""
    return clean_text(value, field, required=required, max_length=TEXT_MAX)


def name_text(value: object, field: str) -> str:
    """A required title, name or address: up to TITLE_MAX characters."""
    return clean_text(value, field, required=True, max_length=TITLE_MAX)


def number_between(value: object, field: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{field} must be a number", field=field)
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        raise ValidationError(f"{field} must be between {low:g} and {high:g}", field=field)
    return number


def whole_number_between(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{field} must be a whole number", field=field)
    if not low <= value <= high:
        raise ValidationError(f"{field} must be between {low} and {high}", field=field)
    return value


def identifier(value: object, field: str) -> str:
    return clean_text(value, field, required=True, max_length=100)


def finite_number(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{field} must be a number", field=field)
    if not math.isfinite(float(value)):
        raise ValidationError(f"{field} must be a finite number", field=field)
    return float(value)


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
