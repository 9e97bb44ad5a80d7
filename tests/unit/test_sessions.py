"""A worker's outer loop: pauses double while sessions keep failing, and start short again after a
session that had been running."""

from __future__ import annotations

import threading

from consumers.sessions import FIRST_PAUSE_S, LONGEST_PAUSE_S, run_sessions


class RecordedStop(threading.Event):
    """A stop event that records each pause instead of waiting it out, and is set after `rounds`."""

    def __init__(self, rounds: int) -> None:
        super().__init__()
        self.rounds, self.pauses = rounds, list[float]()

    def wait(self, timeout: float | None = None) -> bool:
        assert timeout is not None
        self.pauses.append(timeout)
        if len(self.pauses) == self.rounds:
            self.set()
        return self.is_set()


def pauses(lasting: list[float]) -> list[float]:
    now = [0.0]
    durations = iter(lasting)
    stop = RecordedStop(len(lasting))

    def session(_: threading.Event) -> None:
        now[0] += next(durations)
        raise ConnectionError("down")

    run_sessions("worker", session, stop, (ConnectionError,), clock=lambda: now[0])
    return stop.pauses


def test_pauses_double_up_to_the_longest_while_sessions_fail_at_once() -> None:
    assert pauses([0.0] * 8) == [0.2, 0.4, 0.8, 1.6, 3.2, 5.0, 5.0, 5.0]


def test_a_session_that_had_been_running_fails_with_a_short_pause_again() -> None:
    recovered = pauses([0.0] * 7 + [LONGEST_PAUSE_S + 1, 0.0])
    assert recovered[6] == LONGEST_PAUSE_S
    assert recovered[7:] == [FIRST_PAUSE_S, FIRST_PAUSE_S * 2]


def test_a_session_that_returns_ends_the_loop() -> None:
    stop = RecordedStop(1)
    run_sessions("worker", lambda _: None, stop, (ConnectionError,))
    assert stop.pauses == []
