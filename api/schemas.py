"""GET /schemas and GET /schemas/{type}: the JSON Schema of every public event envelope. Public,
like the AsyncAPI document: schemas describe shapes, never data."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter, HTTPException

from contracts.envelope import dataschema
from contracts.event_schemas import all_schemas

router = APIRouter(prefix="/schemas", tags=["event schemas"])


@cache
def _schemas() -> dict[str, dict[str, Any]]:
    return all_schemas()


@router.get("")
async def schema_index() -> dict[str, Any]:
    return {
        "schemas": [
            {"type": name, "dataschema": dataschema(name), "href": f"/schemas/{name}"} for name in _schemas()
        ]
    }


@router.get("/{event_type}")
async def event_schema(event_type: str) -> dict[str, Any]:
    schema = _schemas().get(event_type.removesuffix(".json"))
    if schema is None:
        raise HTTPException(status_code=404, detail=f"no event type {event_type!r}")
    return schema
