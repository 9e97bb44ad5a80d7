"""Argument types that refuse, as a usage error before anything runs, a value no record can hold."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from domain.errors import ValidationError


def checked(check: Callable[[str, str], object], field: str) -> Callable[[str], str]:
    """An argparse `type`: the value as given, once `check(value, field)` (a domain rule) accepts it."""

    def parse(value: str) -> str:
        try:
            check(value, field)
        except ValidationError as error:
            raise argparse.ArgumentTypeError(error.message) from None
        return value

    return parse


def positive(value: str) -> int:
    """An argparse `type`: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be at least 1")
    return number
