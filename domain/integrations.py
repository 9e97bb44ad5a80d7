"""Integrations: service accounts of the directory, the metrics key results are linked to, and
the measurements integrators send. Each has an id derived from its external key, so the event
store's (aggregate, version) uniqueness is what makes a metric key unique and a measurement's
idempotency key apply at most once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.directory import Deactivation
from domain.errors import ConflictError, ValidationError
from domain.rules import identifier, name_text, valid_text

INTEGRATION_ROLE = "integration"
INTEGRATIONS_NAMESPACE = uuid5(NAMESPACE_URL, "urn:momentum:integrations")
METRIC_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/\-]{0,99}$")
IDEMPOTENCY_KEY_MAX = 200


def metric_key(value: object, field: str = "metricKey") -> str:
    """1 to 100 characters: letters, digits and `. _ : / -`, starting with a letter or digit."""
    if not isinstance(value, str) or not METRIC_KEY.fullmatch(value):
        raise ValidationError(
            f"{field} must be 1 to 100 letters, digits or . _ : / - (starting with a letter or digit)", field=field
        )
    return value


def idempotency_key(value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > IDEMPOTENCY_KEY_MAX:
        raise ValidationError(f"idempotencyKey must be 1 to {IDEMPOTENCY_KEY_MAX} characters", field="idempotencyKey")
    return valid_text(value, "idempotencyKey")


def service_account_uuid(account_id: str) -> UUID:
    return uuid5(INTEGRATIONS_NAMESPACE, f"service-account:{valid_text(account_id, 'accountId')}")


def metric_link_uuid(key: str) -> UUID:
    return uuid5(INTEGRATIONS_NAMESPACE, f"metric:{metric_key(key)}")


def measurement_uuid(integration: str, key: str) -> UUID:
    """An idempotency key is the integration's own: two integrations may use the same one."""
    return uuid5(INTEGRATIONS_NAMESPACE, f"measurement:{valid_text(integration, 'integration')}\x00{key}")


class ServiceAccount(Deactivation, Aggregate):
    """An integration's identity in the directory: the `sub` of its tokens, which carry the
    `integration` role. It may only record measurements."""

    @staticmethod
    def create_id(account_id: str) -> UUID:
        return service_account_uuid(account_id)

    @classmethod
    def register(cls, *, account_id: str, name: str, actor: str) -> ServiceAccount:
        return cls(account_id=identifier(account_id, "accountId"), name=name_text(name, "name"), actor=actor)

    @event("Registered")
    def __init__(self, *, account_id: str, name: str, actor: str) -> None:
        self.account_id = account_id
        self.name = name
        self.active = True

    def entry(self) -> str:
        return f"service account {self.account_id}"

    @event("Deactivated")
    def _deactivated(self, *, reason: str, actor: str) -> None:
        self.active = False


class MetricLink(Aggregate):
    """Which key result a metric key feeds: one key result per metric key in the whole
    installation (the aggregate id is derived from the key). Unlinked, the key is free again."""

    @staticmethod
    def create_id(metric_key: str) -> UUID:
        return metric_link_uuid(metric_key)

    @classmethod
    def claim(cls, *, key: str, goal_id: str, key_result_id: str, actor: str) -> MetricLink:
        return cls(metric_key=metric_key(key), goal_id=goal_id, key_result_id=key_result_id, actor=actor)

    @event("Linked")
    def __init__(self, *, metric_key: str, goal_id: str, key_result_id: str, actor: str) -> None:
        self.metric_key = metric_key
        self.goal_id: str | None = goal_id
        self.key_result_id: str | None = key_result_id

    def feeds(self, goal_id: str, key_result_id: str) -> bool:
        return (self.goal_id, self.key_result_id) == (goal_id, key_result_id)

    def relink(self, *, goal_id: str, key_result_id: str, actor: str) -> None:
        if self.goal_id is not None and not self.feeds(goal_id, key_result_id):
            raise ConflictError(f"metric {self.metric_key!r} already feeds another key result", field="metricKey")
        if self.goal_id is None:
            self._relinked(goal_id=goal_id, key_result_id=key_result_id, actor=actor)

    @event("Relinked")
    def _relinked(self, *, goal_id: str, key_result_id: str, actor: str) -> None:
        self.goal_id, self.key_result_id = goal_id, key_result_id

    def release(self, *, actor: str) -> None:
        if self.goal_id is not None:
            self._released(actor=actor)

    @event("Released")
    def _released(self, *, actor: str) -> None:
        self.goal_id = self.key_result_id = None


@dataclass
class Measurement(Aggregate, created_event_name="Recorded"):
    """A measurement an integration sent, applied as a check-in of the key result its metric
    feeds, saved in the same transaction as that check-in: the id derived from (integration,
    idempotency key) exists once, so a redelivered measurement changes nothing."""

    # a record and nothing more: its fields, declared once, are those of its one event (Recorded)
    integration: str
    idempotency_key: str
    metric_key: str
    value: float
    goal_id: str
    key_result_id: str
    channel: str
    actor: str

    @staticmethod
    def create_id(integration: str, idempotency_key: str) -> UUID:
        return measurement_uuid(integration, idempotency_key)

    @classmethod
    def record(
        cls, *, integration: str, key: str, metric: str, value: float, goal_id: str, key_result_id: str, channel: str
    ) -> Measurement:
        return cls(
            integration=integration, idempotency_key=key, metric_key=metric, value=value, goal_id=goal_id,
            key_result_id=key_result_id, channel=channel, actor=integration,
        )
