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


def process_count(value: str) -> int:
    """An argparse `type`: a number of processes, 1 to 64."""
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 1 <= count <= 64:
        raise argparse.ArgumentTypeError(f"processes must be 1 to 64, not {count}")
    return count
