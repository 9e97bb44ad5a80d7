"""`momentum api`: the API served by uvicorn, from one process or from N worker processes that
share one listening socket (uvicorn's supervisor restarts a worker that dies)."""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import signal
import sys

from fastapi import FastAPI

from settings import Settings

WORKER_APP = "cli.serve:worker_app"
PR_SET_PDEATHSIG = 1  # linux/prctl.h
# The API's full collections walked every object of its schema and libraries: ~100 ms of CPU every
# ~5 s under the freshness bench, its event loop (notices, every request) stopped meanwhile. Frozen,
# no full collection was seen; a young generation of 10,000 keeps each collection near 10 ms
# (50,000: ~50 ms), the same CPU in all.
API_YOUNG_GENERATION = 10_000
WORKER_HEALTHCHECK_S = 30  # uvicorn's 5 s kills a worker still starting on a busy machine, again and again


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    logging.getLogger("kafka").setLevel(settings.kafka_log_level)


def worker_count(settings: Settings, requested: int | None) -> int:
    """`--workers`, else the api_workers setting; 0 means one per CPU core."""
    workers = settings.api_workers if requested is None else requested
    return workers or os.cpu_count() or 1


def serve(settings: Settings, workers: int) -> None:
    import uvicorn

    from bootstrap import build_api

    # the API writes its own access log, JSON with a request id: uvicorn keeps the root logger's format
    options = {"host": settings.api_host, "port": settings.api_port, "log_level": "info", "log_config": None,
               "access_log": False, "ws_max_size": settings.max_body_bytes}
    if workers == 1:
        app = build_api(settings)
        collect_garbage_rarely(API_YOUNG_GENERATION)
        uvicorn.run(app, **options)  # type: ignore[arg-type]
        return
    # each worker is a fresh interpreter that reads the same settings (environment and .env) and builds its own app
    uvicorn.run(WORKER_APP, factory=True, workers=workers, timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
                **options)  # type: ignore[arg-type]


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn calls it there)."""
    from bootstrap import build_api

    end_with_the_parent()
    settings = Settings()
    configure_logging(settings)
    app = build_api(settings)
    collect_garbage_rarely(API_YOUNG_GENERATION)
    return app


def collect_garbage_rarely(young: int = 50_000) -> None:
    """For a long-running process, once it has built what it keeps: the objects made at start-up
    are frozen out of every collection, and the young generation is collected once `young`
    objects more are alive (700 by default). A consumer allocates a few dicts per event and keeps
    none: 50,000 (measured on the projector: about a fifth of its apply time went to collections)."""
    gc.freeze()
    gc.set_threshold(young, 20, 20)


def end_with_the_parent() -> None:
    """A worker whose supervisor is SIGKILLed would go on serving the shared port, out of reach of
    any restart: on Linux the kernel sends it SIGTERM (a graceful stop) when the supervisor dies."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl(PR_SET_PDEATHSIG): {os.strerror(errno)}")
    if os.getppid() != parent:  # it died before the request was made
        os.kill(os.getpid(), signal.SIGTERM)
