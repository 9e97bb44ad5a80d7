"""What the integration mutations answer."""

from __future__ import annotations

from enum import Enum

import strawberry

from api import descriptions as d
from application.integrations import Outcome
from projections.sql import Row


@strawberry.enum(description="What became of a measurement.")
class MeasurementStatus(Enum):
    APPLIED = strawberry.enum_value("applied", description="Checked in now.")
    DUPLICATE = strawberry.enum_value(
        "duplicate", description="This integration sent this idempotency key before: nothing changed."
    )
    REFUSED = strawberry.enum_value("refused", description="Not applied: see `reason`.")


@strawberry.enum(description="Why a measurement was refused; it is kept as a dead letter and counted in /metrics.")
class MeasurementRefusal(Enum):
    MALFORMED = strawberry.enum_value(
        "MALFORMED", description="Topic only: the record is not a JSON object of the documented fields."
    )
    UNKNOWN_INTEGRATION = strawberry.enum_value(
        "UNKNOWN_INTEGRATION", description="Topic only: `integration` is no active service account."
    )
    INVALID_IDEMPOTENCY_KEY = strawberry.enum_value(
        "INVALID_IDEMPOTENCY_KEY", description="The idempotency key is empty or longer than 200 characters."
    )
    UNKNOWN_METRIC = strawberry.enum_value("UNKNOWN_METRIC", description="No key result is linked to the metric key.")
    INVALID_VALUE = strawberry.enum_value(
        "INVALID_VALUE",
        description="The value (or confidence, or note) is not one a check-in of the key result takes: not a finite "
        "number within ±10¹⁵, or not 0 or 1 for a milestone.",
    )
    CLOSED = strawberry.enum_value(
        "CLOSED", description="The key result's goal is completed or abandoned, or its cycle is closed."
    )
    BUSY = strawberry.enum_value("BUSY", description="The goal kept changing under concurrent writers: send it again.")


@strawberry.type(description="The outcome of one measurement, in the order they were sent.")
class MeasurementResult:
    idempotency_key: str = strawberry.field(description="The measurement's idempotency key, as sent.")
    status: MeasurementStatus = strawberry.field(
        description="APPLIED: checked in now; DUPLICATE: this key was applied before, nothing changed; REFUSED: see "
        "`reason`."
    )
    reason: MeasurementRefusal | None = strawberry.field(description="Why it was refused; null unless REFUSED.")
    message: str = strawberry.field(description="What was wrong, for people; empty unless REFUSED.")
    sequence: int | None = strawberry.field(
        description="Global position of the check-in, when APPLIED: pass it as `consistency` to read it."
    )

    @classmethod
    def of(cls, outcome: Outcome) -> MeasurementResult:
        return cls(
            idempotency_key=outcome.idempotency_key,
            status=MeasurementStatus(outcome.status.value),
            reason=None if outcome.reason is None else MeasurementRefusal(outcome.reason.value),
            message=outcome.message,
            sequence=outcome.sequence,
        )


@strawberry.type(description="What recordMeasurements did with each measurement.")
class MeasurementsRecorded:
    results: list[MeasurementResult] = strawberry.field(description="One per measurement, in the order sent.")


@strawberry.type(description="An integration's identity in the directory: the `sub` of its tokens.")
class ServiceAccount:
    id: strawberry.ID = strawberry.field(description="Its id, the `sub` of its tokens.")
    name: str = strawberry.field(description="What the integration is.")
    active: bool = strawberry.field(description="False once deactivated: its measurements are refused.")
    version: int = strawberry.field(description=d.VERSION)

    @classmethod
    def of(cls, row: Row) -> ServiceAccount:
        return cls(id=strawberry.ID(row["id"]), name=row["name"], active=row["active"], version=row["version"])
