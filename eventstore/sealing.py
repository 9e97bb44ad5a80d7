"""The event store's mapper with crypto-shredding: private fields are sealed before an event is
stored and opened (or redacted, once the key is erased) when the application reads it back."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol, Snapshot
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder

import contracts.private_events  # noqa: F401 - the registry is complete before any event is stored
from contracts.envelope import event_type
from contracts.privacy import (
    REDACTED,
    REGISTRY,
    STATE_REGISTRY,
    context_of,
    is_sealed,
    kids_of,
    open_data,
    seal,
    value_at,
    with_value_at,
)
from eventstore.keys import KeyStore

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
        """The event (or snapshot) with its private fields sealed; already sealed fields and
        absent (None) values are kept as they are."""
        state = vars(event)
        wanted = [(path, owner) for path, owner in private_paths(event) if _to_seal(value_at(state, path))]
        if not wanted:
            return event  # nothing left to seal: no key lookup when the store maps an event `_record` sealed
        keys = {owner: self.keys.key_for_sealing(owner) for owner in {owner for _, owner in wanted}}
        for path, owner in wanted:
            key, value = keys[owner], value_at(state, path)
            closed = _redacted_like(value) if key is None else seal(
                value, key, owner, context_of(str(event.originator_id), path)
            )
            state = with_value_at(state, path, closed)
        return _with_state(event, state)


def private_paths(event: Event) -> list[tuple[str, str]]:
    """(path, whose key seals it) of every private field of `event` or of a snapshot's state."""
    if isinstance(event, Snapshot):
        paths = STATE_REGISTRY.get(event.topic, {})
        owners = event.state.get("text_owners") or {}
        return [(f"state.{path}", owner) for path, entry in paths.items() if (owner := owners.get(entry))]
    found = REGISTRY.get(event_type(event))
    owner = found.key_owner(vars(event)) if found else None
    return [] if found is None or owner is None else [(path, owner) for path in found.fields]


def _to_seal(value: Any) -> bool:
    return value is not None and not is_sealed(value)


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
