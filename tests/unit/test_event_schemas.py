from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator, FormatChecker

from api.schemas import router
from contracts import contract_docs
from contracts.envelope import dataschema, decode, encode, to_envelope
from contracts.event_catalog import all_events
from contracts.event_schemas import UnmappableAnnotation, all_schemas, annotation_schema
from domain.cycle import Cycle
from domain.goal import Goal

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize(
    ("annotation", "schema"),
    [
        ("str", {"type": "string"}),
        ("int", {"type": "integer"}),
        ("float", {"type": "number"}),
        ("bool", {"type": "boolean"}),
        ("str | None", {"anyOf": [{"type": "string"}, {"type": "null"}]}),
        ("dict[str, Any]", {"type": "object"}),
        ("list[int]", {"type": "array", "items": {"type": "integer"}}),
        ("date", {"type": "string", "format": "date"}),
        ("datetime", {"type": "string", "format": "date-time"}),
        ("UUID", {"type": "string", "format": "uuid"}),
        (list[UUID | None], {"type": "array", "items": {"anyOf": [{"type": "string", "format": "uuid"},
                                                                  {"type": "null"}]}}),
        (date, {"type": "string", "format": "date"}),
        (datetime, {"type": "string", "format": "date-time"}),
    ],
)
def test_each_supported_annotation_maps_to_json_schema(annotation: Any, schema: dict[str, Any]) -> None:
    assert annotation_schema(annotation) == schema


@pytest.mark.parametrize("annotation", ["Decimal", "set[str]", "dict[int, str]", "tuple[int, int]", "os.system"])
def test_an_unknown_annotation_is_refused_so_every_new_event_stays_describable(annotation: str) -> None:
    with pytest.raises(UnmappableAnnotation):
        annotation_schema(annotation)


def test_every_event_type_has_a_valid_2020_12_schema_of_its_whole_envelope() -> None:
    schemas = all_schemas()
    assert {doc.type for doc in all_events()} < set(schemas)
    for name, schema in schemas.items():
        Draft202012Validator.check_schema(schema)
        assert schema["$id"] == dataschema(name) and schema["properties"]["type"] == {"const": name}


def test_a_real_envelope_validates_and_a_wrong_one_does_not() -> None:
    goal = Goal.create(title="Ship", owner_id="ada", actor="ada")
    goal.record_check_in(progress=12.5, confidence=3, note="ok", actor="ada")
    schemas = all_schemas()
    for sequence, event in enumerate(goal.collect_events(), start=1):
        envelope = decode(encode(to_envelope(event, sequence, "urn:momentum:test")))
        validator = Draft202012Validator(schemas[envelope["type"]], format_checker=FormatChecker())
        assert list(validator.iter_errors(envelope)) == []
        assert envelope["dataschema"] == dataschema(envelope["type"])
        broken = {**envelope, "data": {**envelope["data"], "surprise": 1}}
        assert not validator.is_valid(broken)


def test_cycle_created_is_published_as_v2_and_v1_keeps_its_schema() -> None:
    cycle = Cycle.create(name="2027-Q1", starts_on="2027-01-01", ends_on="2027-03-31", actor="root")
    envelope = to_envelope(cycle.collect_events()[0], 1, "urn:momentum:test")
    assert envelope["type"] == "momentum.cycle.Created.v2" and envelope["data"]["timezone"] == "UTC"
    assert "timezone" not in all_schemas()["momentum.cycle.Created.v1"]["properties"]["data"]["properties"]


def test_docs_events_json_schemas_and_asyncapi_are_generated_from_the_current_code() -> None:
    assert contract_docs.stale(DOCS) == [], "run `momentum docs events`"


def test_schemas_are_served_over_http() -> None:
    app = FastAPI()
    app.include_router(router)
    client = TestClient(app)
    index = client.get("/schemas").json()["schemas"]
    assert [entry["type"] for entry in index] == list(all_schemas())
    first = index[0]
    assert client.get(first["href"]).json() == all_schemas()[first["type"]]
    assert client.get("/schemas/momentum.goal.Created.v1.json").status_code == 200
    assert client.get("/schemas/momentum.goal.Nope.v1").status_code == 404
