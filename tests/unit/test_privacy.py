from uuid import uuid4

import pytest
from eventsourcing.persistence import DatetimeAsISO, JSONTranscoder, UUIDAsHex

from contracts.envelope import to_envelope
from contracts.privacy import REDACTED, context_of, is_sealed, new_key, open_envelope, open_sealed, seal
from domain.goal import Goal
from eventstore.keys import MemoryKeyStore
from eventstore.sealing import SealingMapper


def mapper(keys: MemoryKeyStore) -> SealingMapper:
    transcoder = JSONTranscoder()
    transcoder.register(UUIDAsHex())
    transcoder.register(DatetimeAsISO())
    return SealingMapper(transcoder, keys)


def test_a_sealed_value_opens_only_with_its_key_and_in_its_place() -> None:
    key, subject = new_key(), str(uuid4())
    sealed = seal({"note": "secret"}, key, "ada", context_of(subject, "description"))
    assert is_sealed(sealed) and "secret" not in str(sealed)
    assert open_sealed(sealed, key, context_of(subject, "description")) == {"note": "secret"}
    assert open_sealed(sealed, None, context_of(subject, "description")) == REDACTED
    with pytest.raises(ValueError):
        open_sealed(sealed, key, context_of(subject, "title"))  # moved to another field
    with pytest.raises(ValueError):
        open_sealed(sealed, new_key(), context_of(subject, "description"))


def test_a_private_goal_description_is_stored_sealed_and_read_back_clear() -> None:
    keys = MemoryKeyStore()
    private = Goal.create(title="Next", owner_id="ada", actor="ada", description="leave", visibility="private")
    public = Goal.create(title="Open", owner_id="ada", actor="ada", description="roadmap")
    store = mapper(keys)
    stored_private = store.to_stored_event(private.collect_events()[0])
    stored_public = store.to_stored_event(public.collect_events()[0])
    assert b"leave" not in stored_private.state and b"roadmap" in stored_public.state
    assert vars(store.to_domain_event(stored_private))["description"] == "leave"

    envelope = to_envelope(store.to_sealed_domain_event(stored_private), 1, "urn:momentum:test")
    assert is_sealed(envelope["data"]["description"])
    assert open_envelope(envelope, keys.keys({"ada"}))["data"]["description"] == "leave"

    keys.erase("ada")
    assert vars(store.to_domain_event(stored_private))["description"] == REDACTED
    assert open_envelope(envelope, keys.keys({"ada"}))["data"]["description"] == REDACTED
    again = Goal.create(title="Later", owner_id="ada", actor="ada", description="new secret", visibility="private")
    assert b"new secret" not in store.to_stored_event(again.collect_events()[0]).state  # no new key after erasure
