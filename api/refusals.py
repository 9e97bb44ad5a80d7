"""The one shape of every refusal outside a GraphQL result, on every HTTP route:
`{"data": null, "errors": [{"message": …, "extensions": {"code": …}}]}`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi.responses import JSONResponse

CODE_OF_STATUS = {401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND", 429: "RATE_LIMITED"}


def refusal_body(message: str, code: str) -> dict[str, Any]:
    return {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}


def refusal(
    status: int, message: str, code: str | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """`code` defaults to the one of the status: any other 4xx is a request to fix (VALIDATION)."""
    return JSONResponse(refusal_body(message, code or code_of_status(status)), status, headers=headers)


def code_of_status(status: int) -> str:
    return CODE_OF_STATUS.get(status, "VALIDATION")
