from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from settings import Settings
from tests.stack import drop_database, fresh_settings


@pytest.fixture
def settings() -> Iterator[Settings]:
    fresh = fresh_settings()
    yield fresh
    drop_database(fresh)


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    return tmp_path
