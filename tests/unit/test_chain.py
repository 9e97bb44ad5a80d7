"""The hash chain and its checker, on envelopes in memory."""

from __future__ import annotations

from typing import Any

from contracts.chain import GENESIS, digest, link, root
from contracts.chain_check import CHECKPOINT_TYPE, ChainCheck, checkpoints_in


def envelope(subject: str, version: int, sequence: int, **data: Any) -> dict[str, Any]:
    return {"id": f"{subject}/{version}", "type": "momentum.goal.CheckInRecorded.v1", "subject": subject,
            "time": "2027-01-01T00:00:00Z", "data": data, "aggregateversion": version, "actor": "ada",
            "sequence": sequence, "source": "ignored"}


def chained(events: list[dict[str, Any]]) -> dict[tuple[str, int], str]:
    links: dict[tuple[str, int], str] = {}
    for e in events:
        previous = GENESIS if e["aggregateversion"] == 1 else links[(e["subject"], e["aggregateversion"] - 1)]
        links[(e["subject"], e["aggregateversion"])] = link(previous, digest(e))
    return links


HISTORY = [envelope("a", 1, 1, progress=0), envelope("b", 1, 2, progress=5), envelope("a", 2, 3, progress=10)]


def check(events: list[dict[str, Any]], links: dict[tuple[str, int], str], checkpoints: Any = ()) -> Any:
    checker = ChainCheck(lambda keys: {k: links[k] for k in keys if k in links}, list(checkpoints))
    checker.feed([(e, "here") for e in events])
    return checker.finish()


def test_the_digest_ignores_transport_fields_and_key_order() -> None:
    first = envelope("a", 1, 1, x=1, y=2)
    assert digest(first) == digest({**envelope("a", 1, 99, y=2, x=1), "source": "elsewhere"})
    assert digest(first) != digest(envelope("a", 1, 1, x=1, y=3))


def test_an_intact_history_verifies() -> None:
    report = check(HISTORY, chained(HISTORY))
    assert report.intact and (report.events, report.aggregates) == (3, 2)


def test_an_altered_event_is_the_first_break() -> None:
    links = chained(HISTORY)
    altered = [HISTORY[0], HISTORY[1], envelope("a", 2, 3, progress=99)]
    report = check(altered, links)
    assert report.first_break is not None and (report.first_break.sequence, report.first_break.version) == (3, 2)


def test_a_missing_event_breaks_the_chain_of_its_successor() -> None:
    report = check([HISTORY[1], HISTORY[2]], chained(HISTORY))
    assert report.first_break is not None and "version 1 of this aggregate is missing" in report.first_break.reason


def test_a_checkpoint_catches_rewritten_links() -> None:
    links = chained(HISTORY)
    heads = [("a", links[("a", 2)]), ("b", links[("b", 1)])]
    mark = {"type": CHECKPOINT_TYPE, "sequence": 4, "data": {"through_sequence": 3, "root": root(heads)}}
    assert check(HISTORY, links, checkpoints_in([mark])).intact
    forged = [HISTORY[0], HISTORY[1], envelope("a", 2, 3, progress=99)]
    report = check(forged, chained(forged), checkpoints_in([mark]))  # links rewritten to match
    assert report.first_break is not None and report.first_break.subject == "checkpoint"
