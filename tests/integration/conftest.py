from __future__ import annotations

from collections.abc import Iterator

import pytest

from application.momentum import Momentum
from bootstrap import build_momentum
from settings import Settings


@pytest.fixture
def momentum(settings: Settings) -> Iterator[Momentum]:
    app = build_momentum(settings)
    yield app
    app.close()
