"""Integrations: admins register service accounts; a service account records measurements, each
a check-in of the key result its metric feeds, saved with the measurement's idempotency record
in one event-store transaction. A measurement is never an error of the batch it came in: each
gets an outcome, applied, duplicate or refused with a reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from application.access import require_admin
from application.cycles import CycleCommands
from application.directory import DirectoryCommands
from application.identity import Actor
from application.store import EventStore, Stored
from domain.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from domain.goal import OPEN, Goal
from domain.integrations import (
    INTEGRATION_ROLE,
    Measurement,
    MetricLink,
    ServiceAccount,
    idempotency_key,
    measurement_uuid,
    metric_key,
    metric_link_uuid,
    service_account_uuid,
)
from domain.rules import identifier


class Status(Enum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    REFUSED = "refused"


class Reason(Enum):
    """Why a measurement was refused (stable names: the API and the dead-letter table show them)."""

    MALFORMED = "MALFORMED"  # not a JSON object of the documented fields (the topic only)
    UNKNOWN_INTEGRATION = "UNKNOWN_INTEGRATION"  # no active service account of that id
    INVALID_IDEMPOTENCY_KEY = "INVALID_IDEMPOTENCY_KEY"
    UNKNOWN_METRIC = "UNKNOWN_METRIC"  # no key result is linked to the metric key
    INVALID_VALUE = "INVALID_VALUE"  # not a finite number within ±10¹⁵, or not one the key result takes
    CLOSED = "CLOSED"  # the key result's goal or its cycle accepts no check-in
    BUSY = "BUSY"  # the goal kept changing under concurrent writers: send it again


@dataclass(frozen=True)
class Outcome:
    idempotency_key: str
    status: Status
    reason: Reason | None = None
    message: str = ""
    sequence: int | None = None

    @property
    def refused(self) -> bool:
        return self.status is Status.REFUSED


@dataclass(frozen=True)
class Reading:
    """One measurement as an integrator sent it (values not yet checked)."""

    idempotency_key: Any
    metric_key: Any
    value: Any
    confidence: Any = None
    note: Any = ""

    @classmethod
    def of(cls, fields: Mapping[str, Any]) -> Reading:
        return cls(
            fields.get("idempotencyKey"), fields.get("metricKey"), fields.get("value"), fields.get("confidence"),
            fields.get("note", ""),
        )


class Refused(Exception):
    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason, self.message = reason, message


@dataclass(frozen=True)
class IntegrationCommands:
    app: EventStore
    directory: DirectoryCommands
    cycles: CycleCommands

    def register_service_account(self, actor: Actor, *, account_id: str, name: str) -> Stored:
        """Admins only; its id must not be a person's, since both are the `sub` of tokens."""
        require_admin(actor)
        account = ServiceAccount.register(account_id=account_id, name=name, actor=actor.id)
        taken = self.directory.find_person(account.account_id) or self.find_service_account(account.account_id)
        if taken is not None:
            raise ConflictError(f"{account.account_id!r} is already registered", field="accountId")
        return self.app.create(account)

    def deactivate_service_account(self, actor: Actor, account_id: str, reason: str = "") -> Stored:
        require_admin(actor)
        account_id = identifier(account_id, "accountId")  # trimmed as registration trims it
        if self.find_service_account(account_id) is None:
            raise NotFoundError(f"service account {account_id!r} does not exist", field="accountId")
        return self.app.update(
            ServiceAccount, service_account_uuid(account_id), lambda a: a.deactivate(reason=reason, actor=actor.id)
        )

    def find_service_account(self, account_id: str) -> ServiceAccount | None:
        return self.app.find(ServiceAccount, service_account_uuid(account_id))

    def require_integration(self, actor: Actor) -> None:
        """Only a token of an active service account, with the integration role, records measurements."""
        account = self.find_service_account(actor.id) if INTEGRATION_ROLE in actor.roles else None
        if account is None or not account.active:
            raise ForbiddenError("only an active integration's service account may record measurements")

    def record_measurements(self, actor: Actor, readings: list[Reading], channel: str) -> list[Outcome]:
        """Each reading on its own; the batch as a whole is refused only for its actor (FORBIDDEN)."""
        self.require_integration(actor)
        return [self.record(actor.id, reading, channel) for reading in readings]

    def record(self, integration: str, reading: Reading, channel: str) -> Outcome:
        key = reading.idempotency_key if isinstance(reading.idempotency_key, str) else ""
        try:
            key = idempotency_key(reading.idempotency_key)
            return self._record(integration, key, reading, channel)
        except Refused as refusal:
            return Outcome(key, Status.REFUSED, refusal.reason, refusal.message)
        except ValidationError as error:
            reason = Reason.INVALID_IDEMPOTENCY_KEY if error.field == "idempotencyKey" else Reason.INVALID_VALUE
            return Outcome(key, Status.REFUSED, reason, error.message)
        except ConflictError as error:
            return Outcome(key, Status.REFUSED, Reason.BUSY, error.message)

    def _record(self, integration: str, key: str, reading: Reading, channel: str) -> Outcome:
        measurement_id = measurement_uuid(integration, key)

        def attempt() -> Outcome:
            if self.app.find(Measurement, measurement_id) is not None:
                return Outcome(key, Status.DUPLICATE)
            link, goal = self._target(reading.metric_key)
            assert link.goal_id is not None and link.key_result_id is not None
            try:
                goal.check_in_key_result(
                    link.key_result_id, value=reading.value, confidence=reading.confidence,
                    note=reading.note, actor=integration,
                )
            except ConflictError as closed:
                raise Refused(Reason.CLOSED, closed.message) from None
            measurement = Measurement.record(
                integration=integration, key=key, metric=link.metric_key, value=float(goal.key_results[
                    link.key_result_id]["value"]), goal_id=link.goal_id, key_result_id=link.key_result_id,
                channel=channel,
            )
            stored = self.app.store(goal, measurement)
            return Outcome(key, Status.APPLIED, sequence=stored.sequence)

        return self.app.retry(measurement_id, attempt, f"measurement {key!r}: its goal is changing too fast, retry")

    def _target(self, metric: object) -> tuple[MetricLink, Goal]:
        try:
            link = self.app.find(MetricLink, metric_link_uuid(metric_key(metric)))
        except ValidationError as error:
            raise Refused(Reason.UNKNOWN_METRIC, error.message) from None
        if link is None or link.goal_id is None:
            raise Refused(Reason.UNKNOWN_METRIC, f"no key result is linked to metric {metric!r}")
        goal = self.app.get(Goal, link.goal_id)
        if goal.status not in OPEN:
            raise Refused(Reason.CLOSED, f"the key result's goal is {goal.status}")
        if goal.cycle_id is not None and self.cycles.get_cycle(goal.cycle_id).closed:
            raise Refused(Reason.CLOSED, "the key result's cycle is closed")
        return link, goal

