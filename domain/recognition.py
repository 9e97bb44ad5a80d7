"""Recognition: company values (an admin-managed list) and kudos, paid from the giver's
allowance for a period. One Recognition aggregate per giver and period holds the allowance,
so optimistic concurrency keeps it from going below zero however many kudos race."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError
from domain.rules import free_text, identifier, name_text, other_people, valid_text, whole_number_between

NAMESPACE = uuid5(NAMESPACE_URL, "urn:momentum:recognition")
MAX_RECIPIENTS = 20


@dataclass(frozen=True)
class KudosPolicy:
    """How much a giver may spend per period, and on one recipient per period."""

    allowance: int = 100
    period: str = "month"
    recipient_cap: int = 50


class CompanyValue(Aggregate):
    """A company value kudos are tied to; admins define and retire them."""

    @staticmethod
    def create_id(value_id: str) -> UUID:
        return uuid5(NAMESPACE, f"value:{valid_text(value_id, 'valueId')}")

    @classmethod
    def define(cls, *, value_id: str, name: str, description: str, actor: str) -> CompanyValue:
        return cls(
            value_id=identifier(value_id, "valueId"),
            name=name_text(name, "name"),
            description=free_text(description, "description"),
            actor=actor,
        )

    @event("Defined")
    def __init__(self, *, value_id: str, name: str, description: str, actor: str) -> None:
        self.value_id = value_id
        self.name = name
        self.active = True

    def retire(self, *, actor: str) -> None:
        if not self.active:
            raise ConflictError(f"value {self.value_id!r} is already retired")
        self._retired(actor=actor)

    @event("Retired")
    def _retired(self, *, actor: str) -> None:
        self.active = False


class Recognition(Aggregate):
    """One giver's kudos in one period, paid from the allowance the period opened with;
    what is not spent expires with the period."""

    @staticmethod
    def create_id(giver_id: str, period: str) -> UUID:
        return uuid5(NAMESPACE, f"allowance:{valid_text(giver_id, 'giverId')}:{period}")

    @classmethod
    def open(cls, *, giver_id: str, period: str, policy: KudosPolicy) -> Recognition:
        return cls(
            giver_id=giver_id,
            period=period,
            allowance=policy.allowance,
            recipient_cap=policy.recipient_cap,
            actor=giver_id,
        )

    @event("Opened")
    def __init__(self, *, giver_id: str, period: str, allowance: int, recipient_cap: int, actor: str) -> None:
        self.giver_id = giver_id
        self.period = period
        self.allowance = allowance
        self.recipient_cap = recipient_cap
        self.spent = 0
        self.received: dict[str, int] = {}

    @property
    def remaining(self) -> int:
        return self.allowance - self.spent

    def give(self, *, kudos_id: str, recipient_ids: list[str], points: object, value_id: str, message: str) -> None:
        """`points` go to each recipient; the total comes out of the allowance."""
        recipients = checked_recipients(recipient_ids, self.giver_id)
        each = whole_number_between(points, "points", 1, self.recipient_cap)
        for person in recipients:
            if self.received.get(person, 0) + each > self.recipient_cap:
                raise ConflictError(
                    f"{person!r} would get more than {self.recipient_cap} points from you in {self.period}",
                    field="points",
                )
        if each * len(recipients) > self.remaining:
            raise ConflictError(
                f"{each * len(recipients)} points exceed the {self.remaining} left in your {self.period} allowance",
                field="points",
            )
        self._kudos_given(
            kudos_id=kudos_id,
            giver_id=self.giver_id,
            period=self.period,
            recipient_ids=recipients,
            points=each,
            value_id=value_id,
            message=free_text(message, "message", required=True),
            actor=self.giver_id,
        )

    @event("KudosGiven")
    def _kudos_given(
        self,
        *,
        kudos_id: str,
        giver_id: str,
        period: str,
        recipient_ids: list[str],
        points: int,
        value_id: str,
        message: str,
        actor: str,
    ) -> None:
        self.spent += points * len(recipient_ids)
        for person in recipient_ids:
            self.received[person] = self.received.get(person, 0) + points


def checked_recipients(recipient_ids: object, giver_id: str) -> list[str]:
    """Kudos go to 1 to MAX_RECIPIENTS other people, each named once."""
    return other_people(recipient_ids, "recipientIds", me=giver_id, most=MAX_RECIPIENTS, noun="recipient")
