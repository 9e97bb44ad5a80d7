"""Recognition commands: admins keep the list of company values; people give kudos from
their allowance. The allowance lives in a per-giver-per-period aggregate, so two kudos
racing for the last points cannot both be stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import uuid4

from eventsourcing import domain as es_domain

from application.access import require_admin
from application.directory import DirectoryCommands
from application.identity import Actor
from application.store import EventStore, Stored
from domain.errors import ConflictError, ForbiddenError, ValidationError
from domain.periods import period_of
from domain.recognition import CompanyValue, KudosPolicy, Recognition, checked_recipients


@dataclass
class RecognitionCommands:
    app: EventStore
    directory: DirectoryCommands
    kudos_policy: KudosPolicy = field(default_factory=KudosPolicy)  # bootstrap.py sets it from the settings

    def define_value(self, actor: Actor, *, value_id: str, name: str, description: str = "") -> Stored:
        require_admin(actor)
        value = CompanyValue.define(value_id=value_id, name=name, description=description, actor=actor.id)
        if self.app.find(CompanyValue, value.id) is not None:
            raise ConflictError(f"value {value.value_id!r} already exists", field="valueId")
        return self.app.create(value)

    def retire_value(self, actor: Actor, value_id: str) -> Stored:
        require_admin(actor)
        return self.app.update(CompanyValue, CompanyValue.create_id(value_id), lambda v: v.retire(actor=actor.id))

    def give_kudos(
        self, actor: Actor, *, recipient_ids: list[str], value_id: str, points: int, message: str
    ) -> tuple[Stored, str]:
        giver = self.directory.find_person(actor.id)
        if giver is None or not giver.active:
            raise ForbiddenError("only active people of the directory give kudos")
        for person in checked_recipients(recipient_ids, actor.id):
            self.directory.active_person(person, "recipientIds")
        value = self.app.find(CompanyValue, CompanyValue.create_id(str(value_id)))
        if value is None or not value.active:
            raise ValidationError(f"{value_id!r} is not a company value", field="valueId")
        kudos_id = str(uuid4())
        period = period_of(es_domain.datetime_now_with_tzinfo(), self.kudos_policy.period)
        uuid = Recognition.create_id(actor.id, period)

        def give() -> Stored:
            recognition = self.app.find(Recognition, uuid) or Recognition.open(
                giver_id=actor.id, period=period, policy=self.kudos_policy
            )
            recognition.give(
                kudos_id=kudos_id, recipient_ids=recipient_ids, points=points, value_id=value.value_id, message=message
            )
            return self.app.store(recognition)

        return self.app.retry(uuid, give, "your allowance is changing too fast, retry"), kudos_id
