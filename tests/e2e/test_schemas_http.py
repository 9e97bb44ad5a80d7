"""The real API serves the event schemas without a token: they describe shapes, never data."""

from __future__ import annotations

import httpx

from contracts.event_schemas import all_schemas
from settings import Settings
from tests.e2e.client import api_base
from tests.stack import Process


def test_the_api_serves_the_schema_index_and_each_schema(settings: Settings, api: Process) -> None:
    base = api_base(settings)
    index = httpx.get(f"{base}/schemas", timeout=10).json()["schemas"]
    assert {entry["type"] for entry in index} == set(all_schemas())
    given = httpx.get(f"{base}/schemas/momentum.feedback.Given.v1", timeout=10).json()
    assert given == all_schemas()["momentum.feedback.Given.v1"]
    assert "anyOf" in given["properties"]["data"]["properties"]["text"]  # clear or sealed
    assert httpx.get(f"{base}/schemas/momentum.nope.Nope.v1", timeout=10).status_code == 404
