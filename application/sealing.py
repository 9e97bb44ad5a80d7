"""The event store's mapper with crypto-shredding: private fields are sealed before an event is
stored and opened (or redacted, once the key is erased) when the application reads it back."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder

import application.private_events  # noqa: F401 - the registry is complete before any event is stored
from application.envelope import event_type
from application.keys import KeyStore
from application.privacy import REDACTED, REGISTRY, context_of, is_sealed, kids_of, open_data, seal

Event = DomainEventProtocol[UUID]


class SealingMapper(Mapper[UUID]):
    def __init__(self, transcoder: Transcoder, keys: KeyStore):
        super().__init__(transcoder)
        self.keys = keys

    def to_stored_event(self, domain_event: Event) -> StoredEvent:
        return super().to_stored_event(self.sealed(domain_event))

    def to_domain_event(self, stored_event: StoredEvent) -> Event:
        return open_fields(self.to_sealed_domain_event(stored_event), self.keys)

    def to_sealed_domain_event(self, stored_event: StoredEvent) -> Event:
        """As stored: what the relay publishes."""
        return super().to_domain_event(stored_event)

    def sealed(self, event: Event) -> Event:
        """The event with its private fields sealed (already sealed fields are kept as they are)."""
        entry = REGISTRY.get(event_type(event))
        state = vars(event)
        owner = entry.key_owner(state) if entry else None
        if entry is None or owner is None or all(is_sealed(state[name]) for name in entry.fields):
            return event  # nothing left to seal: no key lookup when the store maps an event `_record` sealed
        key = self.keys.key_for_sealing(owner)
        sealed = dict(state)
        for name in entry.fields:
            if key is None:
                sealed[name] = None if state[name] is None else _redacted_like(state[name])
            elif not is_sealed(state[name]):
                sealed[name] = seal(state[name], key, owner, context_of(str(event.originator_id), name))
        return _with_state(event, sealed)


def open_fields(event: Event, keys: KeyStore) -> Event:
    state = vars(event)
    kids = kids_of(state)
    if not kids:
        return event
    return _with_state(event, open_data(state, str(event.originator_id), keys.keys(kids)))


def _with_state(event: Event, state: dict[str, Any]) -> Event:
    copy = object.__new__(type(event))
    object.__setattr__(copy, "__dict__", state)
    return copy


def _redacted_like(value: Any) -> Any:
    return REDACTED if isinstance(value, str) else None
