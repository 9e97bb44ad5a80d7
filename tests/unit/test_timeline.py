"""Timeline entries: the change of every field, the reason, and redelivery."""

from __future__ import annotations

from typing import Any

from projections.timeline.fold import entry


def event(name: str, version: int, **data: Any) -> dict[str, Any]:
    return {"type": f"momentum.goal.{name}.v1", "subject": "g1", "aggregateversion": version, "sequence": version,
            "time": f"2027-01-0{version}T00:00:00Z", "actor": "ada", "data": data}


CREATED = event("Created", 1, cycle_id=None, title="Ship", description="", owner_kind="person", owner_id="ada",
                parent_id=None, weight=1.0, rolls_up=False, visibility="public", status="draft")


def test_an_edit_records_before_and_after_of_each_changed_field_and_its_reason() -> None:
    state, first = entry(None, CREATED)
    assert first is not None and {"field": "title", "before": None, "after": "Ship"} in first.changes
    renamed = event("DetailsChanged", 2, title="Ship v2", description="", visibility="team", rolls_up=False,
                    reason="scope grew")
    _, second = entry(state, renamed)
    assert second is not None
    assert second.changes == [{"field": "title", "before": "Ship", "after": "Ship v2"},
                              {"field": "visibility", "before": "public", "after": "team"}]
    assert (second.reason, second.actor, second.event) == ("scope grew", "ada", "DetailsChanged")


def test_a_redelivered_event_adds_no_entry() -> None:
    state, _ = entry(None, CREATED)
    again, found = entry(state, CREATED)
    assert found is None and again is state
