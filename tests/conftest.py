from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from settings import Settings
from tests.stack import Process, drop_database, fresh_settings


@pytest.fixture
def settings() -> Iterator[Settings]:
    fresh = fresh_settings()
    yield fresh
    drop_database(fresh)


@pytest.fixture
def log_dir(tmp_path: Path) -> Iterator[Path]:
    """Where child processes log; every process started in the test is stopped afterwards,
    even when the test fails half-way, before its database is dropped."""
    yield tmp_path
    while Process.started:
        Process.started.pop().stop()
