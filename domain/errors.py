"""Typed domain errors; each carries a stable code that the API exposes unchanged."""

from typing import Any


class DomainError(Exception):
    code = "DOMAIN"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(DomainError):
    code = "VALIDATION"


class NotFoundError(DomainError):
    code = "NOT_FOUND"


class ForbiddenError(DomainError):
    code = "FORBIDDEN"


class ConflictError(DomainError):
    code = "CONFLICT"


def echoed(value: Any, limit: int = 80) -> str:
    """A refused value as an error message repeats it: its repr, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."
