"""The consumer loop's cadence: after a poll with records the next poll waits 10 ms; after `apply`
says it awaits something outside Kafka (the relay's next tail), that wait is given to `awaited`
and the poll itself does not wait."""

from __future__ import annotations

import threading
from typing import Any

from consumers.group import Records, consume


class FakeConsumer:
    """Answers each poll from a script and records the timeouts asked for."""

    def __init__(self, script: list[Records], stop: threading.Event, calls: list[Any]) -> None:
        self.script, self.stop, self.calls = script, stop, calls
        self._coordinator = self  # finish_interrupted_join looks at it
        self.rejoining = False
        self.config = {"client_id": "fake"}

    def partitions_for_topic(self, topic: str) -> set[int]:
        return {0}

    def subscribe(self, topics: list[str], listener: Any) -> None:
        pass

    def poll(self, timeout_ms: int) -> Records:
        self.calls.append(("poll", timeout_ms))
        if len(self.script) == 1:
            self.stop.set()
        return self.script.pop(0)

    def assignment(self) -> set[int]:
        return {0}

    def close(self, autocommit: bool) -> None:
        pass


def cadence(polled: list[Records], looks_again: list[bool]) -> list[Any]:
    stop, calls = threading.Event(), list[Any]()
    answers = iter(looks_again)
    consume(FakeConsumer(polled, stop, calls), "topic", Any, stop, lambda: None,  # type: ignore[arg-type]
            lambda records, _: next(answers), lambda seconds: calls.append(("awaited", seconds)))
    return calls


def test_after_records_the_next_poll_waits_10_ms_and_nothing_is_awaited() -> None:
    record: Records = {"p": ["r"]}  # type: ignore[dict-item]
    assert cadence([{}, record, {}], [False, False, False]) == [
        ("awaited", 0.0), ("poll", 200), ("awaited", 0.0), ("poll", 200), ("awaited", 0.0), ("poll", 10)]


def test_awaiting_the_relay_takes_the_wait_and_the_poll_does_not_wait() -> None:
    record: Records = {"p": ["r"]}  # type: ignore[dict-item]
    assert cadence([record, {}, {}], [True, False, False]) == [
        ("awaited", 0.0), ("poll", 200), ("awaited", 0.01), ("poll", 0), ("awaited", 0.0), ("poll", 200)]
