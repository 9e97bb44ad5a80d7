from pathlib import Path

from contracts.event_catalog import AGGREGATES, events, render

DOCS = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def test_docs_events_md_is_generated_from_the_current_code() -> None:
    assert DOCS.read_text() == render(), "docs/events.md is out of date: run `momentum docs events`"


def test_every_event_type_is_listed_with_its_version_and_fields() -> None:
    text = DOCS.read_text()
    listed = [doc for aggregate in AGGREGATES for doc in events(aggregate)]
    assert len(listed) == 48
    for doc in listed:
        assert f"### `{doc.type}`" in text and doc.type.endswith(f".v{doc.version}")
    check_in = next(d for d in listed if d.type == "momentum.goal.KeyResultCheckedIn.v2")
    assert [name for name, _ in check_in.fields] == [
        "key_result_id",
        "value",
        "progress",
        "confidence",
        "note",
        "blockers",
        "private_to",
    ]
