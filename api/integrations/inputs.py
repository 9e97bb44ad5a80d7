"""Inputs of the integration mutations."""

from __future__ import annotations

import strawberry

from api import descriptions as d


@strawberry.input(description="A service account: the identity an integration's tokens carry as `sub`.")
class RegisterServiceAccountInput:
    account_id: strawberry.ID = strawberry.field(
        description="Its id, the `sub` of its tokens (which carry the role `integration`); no person may have it."
    )
    name: str = strawberry.field(description="What the integration is, e.g. 'CRM sync'. " + d.TITLE)


@strawberry.input(description="A service account to deactivate.")
class DeactivateServiceAccountInput:
    account_id: strawberry.ID = strawberry.field(description="The service account.")
    reason: str = strawberry.field(default="", description=d.REASON)


@strawberry.input(description="A key result and the metric that is to feed it.")
class LinkKeyResultMetricInput:
    goal_id: strawberry.ID = strawberry.field(description=d.GOAL_TO_CHANGE)
    key_result_id: strawberry.ID = strawberry.field(description=d.KEY_RESULT_ID)
    metric_key: str | None = strawberry.field(description=d.METRIC_KEY + " Null unlinks the key result.")


@strawberry.input(description="One measurement of a metric, as an integration sends it.")
class MeasurementInput:
    idempotency_key: str = strawberry.field(
        description="Your key for this measurement (1 to 200 characters): sent again, it changes nothing."
    )
    metric_key: str = strawberry.field(description="The metric measured: the key result linked to it is checked in.")
    value: float = strawberry.field(description="The measured value, in the key result's unit. " + d.MEASURED_VALUE)
    confidence: int | None = strawberry.field(default=None, description=d.CONFIDENCE)
    note: str = strawberry.field(default="", description="A note kept with the check-in. " + d.TEXT)


@strawberry.input(description="Measurements of one integration, sent together.")
class RecordMeasurementsInput:
    measurements: list[MeasurementInput] = strawberry.field(
        description="1 to MOMENTUM_MEASUREMENTS_MAX_BATCH (100) measurements, each applied on its own."
    )
