"""Closed-loop HTTP load: N clients, each sending its next request when the last one answered."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

Request = Callable[[httpx.Client, int], httpx.Response]


def run(
    clients: int, total: int, request: Request, check: Callable[[httpx.Response], Any]
) -> tuple[list[float], float]:
    """Send `total` requests from `clients` threads; returns the latencies and the elapsed time.
    The clients are made before the clock starts: each builds an SSL context (tens of ms of CPU),
    which would otherwise delay the first requests of every run."""
    latencies: list[float] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def worker(http: httpx.Client) -> None:
        with http:
            while not failures:
                with lock:
                    number = next(counter, None)
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

    made = [httpx.Client(timeout=60, limits=httpx.Limits(max_connections=1)) for _ in range(clients)]
    threads = [threading.Thread(target=worker, args=(http,)) for http in made]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return latencies, time.perf_counter() - started
