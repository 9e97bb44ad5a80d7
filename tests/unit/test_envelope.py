from datetime import datetime

from contracts.envelope import decode, encode, event_id, event_type, to_envelope
from domain.goal import Goal


def test_an_event_becomes_a_cloudevents_envelope() -> None:
    goal = Goal.create(title="Ship", owner_id="ada", actor="ada")
    goal.record_check_in(progress=12.5, confidence=3, note="ok", actor="ada")
    created, checked = goal.collect_events()
    envelope = decode(encode(to_envelope(checked, 42, "urn:momentum:test")))
    assert envelope["type"] == "momentum.goal.CheckInRecorded.v2" == event_type(checked)
    assert envelope["specversion"] == "1.0" and envelope["datacontenttype"] == "application/json"
    assert envelope["subject"] == str(goal.id) and envelope["source"] == "urn:momentum:test"
    assert (envelope["sequence"], envelope["aggregateversion"], envelope["actor"]) == (42, 2, "ada")
    assert envelope["data"] == {"progress": 12.5, "confidence": 3, "note": "ok", "blockers": "", "private_to": None}
    assert envelope["id"] == str(event_id(goal.id, 2)) != str(event_id(goal.id, 1))
    assert datetime.fromisoformat(envelope["time"].replace("Z", "+00:00")).tzinfo is not None
    assert to_envelope(created, 41, "s")["data"]["title"] == "Ship"
