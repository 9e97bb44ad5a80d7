"""Closed-loop HTTP load: N clients, each sending its next request when the last one answered."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

Request = Callable[[httpx.Client, int], httpx.Response]


def warm_up_size(clients: int, total: int) -> int:
    """The requests sent, and not timed, before a run's clock starts: a tenth of the run, and at
    least ten per client."""
    return max(10 * clients, total // 10)


def run(
    clients: int, total: int, request: Request, check: Callable[[httpx.Response], Any]
) -> tuple[list[float], float]:
    """Send `total` requests from `clients` threads; returns the latencies and the elapsed time.
    The clients are made before the clock starts: each builds an SSL context (tens of ms of CPU),
    which would otherwise delay the first requests of every run. They first send
    `warm_up_size` requests (numbered after the run's), untimed, on the same connections: what a
    server does once (connections opened and pooled, statements prepared, caches filled) is
    not counted as its speed, for the baseline as for the API."""
    made = [httpx.Client(timeout=60, limits=httpx.Limits(max_connections=1)) for _ in range(clients)]
    try:
        _send(made, iter(range(total, total + warm_up_size(clients, total))), request, check)
        started = time.perf_counter()
        latencies = _send(made, iter(range(total)), request, check)
        return latencies, time.perf_counter() - started
    finally:
        for http in made:
            http.close()


def _send(made: list[httpx.Client], numbers: Iterator[int], request: Request, check: Callable[[httpx.Response], Any]
          ) -> list[float]:
    latencies: list[float] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def worker(http: httpx.Client) -> None:
        while not failures:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            started = time.perf_counter()
            try:
                response = request(http, number)
                took = time.perf_counter() - started
                check(response)
            except BaseException as failure:  # a failed request fails the run, not just its thread
                failures.append(failure)
                return
            with lock:
                latencies.append(took)

    threads = [threading.Thread(target=worker, args=(http,)) for http in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return latencies
