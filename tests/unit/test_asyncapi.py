import json
import subprocess
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator
from jsonschema.exceptions import SchemaError

from contracts import measurement_message
from contracts.asyncapi import document
from contracts.event_schemas import all_schemas

ROOT = Path(__file__).resolve().parents[2]


def official_asyncapi_3_schema() -> dict:
    """From the npm package @asyncapi/specs, fetched once by scripts/asyncapi-specs.sh."""
    out = subprocess.run(
        ["bash", str(ROOT / "scripts" / "asyncapi-specs.sh")], check=True, capture_output=True, text=True
    )
    return json.loads((Path(out.stdout.strip()) / "3.0.0.json").read_text())


def test_docs_asyncapi_yaml_validates_against_the_official_asyncapi_3_schema() -> None:
    published = yaml.safe_load((ROOT / "docs" / "asyncapi.yaml").read_text())
    assert published == document()
    errors = sorted(Draft7Validator(official_asyncapi_3_schema()).iter_errors(published), key=str)
    assert errors == [], "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_the_document_has_one_message_per_event_type_with_key_and_headers() -> None:
    doc = document()
    channel = doc["channels"]["events"]
    assert channel["address"] == "momentum.events"
    assert channel["bindings"]["kafka"]["topicConfiguration"]["retention.ms"] == -1
    events = set(doc["components"]["messages"]) - {"momentum.measurement"}
    assert set(channel["messages"]) == events == set(all_schemas())
    message = doc["components"]["messages"]["momentum.goal.Created.v1"]
    assert message["bindings"]["kafka"]["key"]["format"] == "uuid"
    assert set(message["headers"]["required"]) == {"content-type", "sequence", "type"}
    assert message["headers"]["properties"]["content-type"]["const"] == "application/cloudevents+json"
    assert message["contentType"] == doc["defaultContentType"] == "application/cloudevents+json"
    assert message["payload"]["schema"]["properties"]["type"] == {"const": "momentum.goal.Created.v1"}


def test_every_payload_is_the_published_schema_in_the_dialect_it_declares() -> None:
    """The official AsyncAPI schema checks payloads only for the formats it knows (draft-07 and
    AsyncAPI's own): a 2020-12 payload is checked here, against the 2020-12 meta-schema."""
    schemas = {**all_schemas(), "momentum.measurement": measurement_message.schema()}
    for name, message in document()["components"]["messages"].items():
        payload = message["payload"]
        assert payload["schema"] == schemas[name]
        assert payload["schema"]["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert payload["schemaFormat"] == "application/schema+json;version=2020-12"
        Draft202012Validator.check_schema(payload["schema"])


def test_a_payload_that_breaks_the_2020_12_meta_schema_is_caught() -> None:
    broken = document()["components"]["messages"]["momentum.goal.Created.v1"]["payload"]["schema"]
    broken["properties"]["data"]["required"] = "title"
    with pytest.raises(SchemaError):
        Draft202012Validator.check_schema(broken)


def test_the_validation_reaches_deep_into_the_document() -> None:
    validator = Draft7Validator(official_asyncapi_3_schema())
    wrong_action, wrong_binding, wrong_message = document(), document(), document()
    wrong_action["operations"]["receiveEvents"]["action"] = "consume"
    wrong_binding["channels"]["events"]["bindings"]["kafka"]["partitions"] = "six"
    wrong_message["components"]["messages"]["momentum.goal.Created.v1"]["contentType"] = 5
    assert not any(validator.is_valid(doc) for doc in (wrong_action, wrong_binding, wrong_message))


def test_the_measurements_channel_carries_the_measurement_message_integrators_send() -> None:
    doc = document()
    channel = doc["channels"]["measurements"]
    assert channel["address"] == "momentum.measurements"
    assert list(channel["messages"]) == ["momentum.measurement"]
    assert doc["operations"]["sendMeasurements"]["action"] == "send"
    schema = doc["components"]["messages"]["momentum.measurement"]["payload"]["schema"]
    assert schema["required"] == ["integration", "idempotencyKey", "metricKey", "value"]
    assert schema["additionalProperties"] is False
