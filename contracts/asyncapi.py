"""The AsyncAPI 3.0 document of the momentum.events channel, generated from the event catalogue,
and of the momentum.measurements channel integrators send measurements to."""

from __future__ import annotations

from typing import Any

from contracts import measurement_message
from contracts.event_schemas import all_schemas

CHANNEL = "momentum.events"
MEASUREMENTS = "momentum.measurements"
BINDING_VERSION = "0.5.0"
CONTENT_TYPE = "application/cloudevents+json"  # the CloudEvents Kafka binding, structured mode
# the payloads are the JSON Schemas of docs/events/, in the dialect they declare
SCHEMA_FORMAT = "application/schema+json;version=2020-12"
HEADERS = {
    "type": "object",
    "properties": {
        "content-type": {
            "const": CONTENT_TYPE,
            "description": "CloudEvents structured mode: the value is the whole JSON envelope",
        },
        "sequence": {"type": "string", "pattern": "^[0-9]+$", "description": "global position in the event store"},
        "type": {"type": "string", "description": "the envelope's `type`, to filter without parsing"},
    },
    "required": ["content-type", "sequence", "type"],
}
KEY = {"type": "string", "format": "uuid", "description": "the aggregate id (= subject): one aggregate, one partition"}


def document(partitions: int = 6) -> dict[str, Any]:
    schemas = all_schemas()
    messages = {name: _message(name, schema) for name, schema in schemas.items()}
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Momentum events",
            "version": "1.0.0",
            "description": (
                "Every stored event of Momentum, in store order per aggregate, as a CloudEvents 1.0 "
                "JSON envelope (the Kafka protocol binding's structured mode: header "
                f"`content-type: {CONTENT_TYPE}`). Generated from the code by `momentum docs events`; "
                "see docs/stream.md for ordering, delivery, retention, replay and privacy."
            ),
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "development": {
                "host": "127.0.0.1:9092",
                "protocol": "kafka",
                "description": "the broker of `make services`; transactional producer, read with read_committed",
            }
        },
        "channels": {
            "events": {
                "address": CHANNEL,
                "description": "key = aggregate id; retention forever; records committed in Kafka transactions",
                "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in messages},
                "bindings": {
                    "kafka": {
                        "topic": CHANNEL,
                        "partitions": partitions,
                        "topicConfiguration": {"retention.ms": -1, "retention.bytes": -1},
                        "bindingVersion": BINDING_VERSION,
                    }
                },
            },
            "measurements": {
                "address": MEASUREMENTS,
                "description": (
                    "measurements integrators produce, consumed exactly once by `momentum measurements`; a record "
                    "that is not a valid measurement is kept as a dead letter with its reason"
                ),
                "messages": {measurement_message.NAME: {"$ref": f"#/components/messages/{measurement_message.NAME}"}},
                "bindings": {"kafka": {"topic": MEASUREMENTS, "partitions": partitions,
                                       "bindingVersion": BINDING_VERSION}},
            },
        },
        "operations": {
            "sendMeasurements": {
                "action": "send",
                "summary": "Send measurements of the metrics key results are linked to (docs/goals.md).",
                "channel": {"$ref": "#/channels/measurements"},
                "messages": [{"$ref": f"#/channels/measurements/messages/{measurement_message.NAME}"}],
            },
            "receiveEvents": {
                "action": "receive",
                "summary": "Read the stream from any offset or point in time (isolation_level=read_committed).",
                "channel": {"$ref": "#/channels/events"},
                "messages": [{"$ref": f"#/channels/events/messages/{name}"} for name in messages],
            }
        },
        "components": {"messages": {**messages, measurement_message.NAME: _measurement()}},
    }


def _message(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "title": name,
        "contentType": CONTENT_TYPE,
        "headers": HEADERS,
        "payload": {"schemaFormat": SCHEMA_FORMAT, "schema": schema},
        "correlationId": {"location": "$message.payload#/subject"},
        "bindings": {"kafka": {"key": KEY, "bindingVersion": BINDING_VERSION}},
    }


def _measurement() -> dict[str, Any]:
    return {
        "name": measurement_message.NAME,
        "title": "A measurement",
        "contentType": "application/json",
        "payload": {"schemaFormat": SCHEMA_FORMAT, "schema": measurement_message.schema()},
        "bindings": {"kafka": {"key": {"type": "string", "description": "any: e.g. the idempotency key, to spread "
                                       "partitions (a redelivered record keeps its partition)"},
                               "bindingVersion": BINDING_VERSION}},
    }


def render() -> str:
    import yaml  # a development dependency: only the docs command renders the document

    header = "# Generated from the code by `momentum docs events`; do not edit by hand.\n"
    return header + yaml.safe_dump(document(), sort_keys=False, allow_unicode=True, width=120)
