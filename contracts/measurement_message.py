"""The contract of the momentum.measurements topic: the JSON Schema (2020-12) of the record an
integrator produces. The consumer (consumers/measurements.py) checks the same shape and refuses
anything else as a dead letter, MALFORMED."""

from __future__ import annotations

from typing import Any

from domain.integrations import IDEMPOTENCY_KEY_MAX, METRIC_KEY
from domain.rules import MAX_MAGNITUDE, TEXT_MAX

NAME = "momentum.measurement"
FILE = "measurement-message.json"
REQUIRED = ("integration", "idempotencyKey", "metricKey", "value")
OPTIONAL = ("confidence", "note")


def schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:momentum:schema:{NAME}",
        "title": NAME,
        "description": (
            "A measurement an integration sends to the momentum.measurements topic (UTF-8 JSON, the record's "
            "value): it becomes a check-in of the key result linked to `metricKey`, recorded with the service "
            "account `integration` as its actor. A second record with the same (integration, idempotencyKey) "
            "changes nothing. See docs/goals.md."
        ),
        "type": "object",
        "properties": {
            "integration": {"type": "string", "minLength": 1, "maxLength": 100,
                            "description": "the id of an active service account of the directory"},
            "idempotencyKey": {"type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX,
                               "description": "the integration's own key for this measurement"},
            "metricKey": {"type": "string", "pattern": METRIC_KEY.pattern,
                          "description": "the metric measured (linkKeyResultMetric, addKeyResult's metricKey)"},
            "value": {"type": "number", "minimum": -MAX_MAGNITUDE, "maximum": MAX_MAGNITUDE,
                      "description": "in the key result's unit; a milestone takes 1 (done) or 0"},
            "confidence": {"type": ["integer", "null"], "minimum": 0, "maximum": 10},
            "note": {"type": "string", "maxLength": TEXT_MAX},
        },
        "required": list(REQUIRED),
        "additionalProperties": False,
    }
