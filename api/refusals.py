"""The one shape of every refusal outside a GraphQL result, on every HTTP route:
`{"data": null, "errors": [{"message": …, "extensions": {"code": …}}]}`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi.responses import JSONResponse

CODE_OF_STATUS = {401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND", 429: "RATE_LIMITED"}


def refusal_body(message: str, code: str) -> dict[str, Any]:
    return {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}


def refusal(
    status: int,
    message: str,
    code: str | None = None,
    headers: Mapping[str, str] | None = None,
    on_code: Callable[[str], None] | None = None,
) -> JSONResponse:
    """`code` defaults to the one of the status: any other 4xx is a request to fix (VALIDATION).
    `on_code` is told the code (the count of errors by code, api.metrics)."""
    code = code or code_of_status(status)
    if on_code is not None:
        on_code(code)
    return JSONResponse(refusal_body(message, code), status, headers=headers)


def code_of_status(status: int) -> str:
    return CODE_OF_STATUS.get(status, "VALIDATION")
