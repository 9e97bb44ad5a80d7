"""A read leaves no reference cycle behind: its context, loaders, futures, rows and execution
state are freed by reference counting as it ends. Cycles would leave them for the garbage
collector, whose collections under 32 concurrent pages paused the API for up to 0.3 s."""

from __future__ import annotations

import asyncio
import gc
from collections import Counter
from typing import Any

from application.momentum import Momentum
from settings import Settings
from tests.integration.org import MAYA
from tests.integration.readside import envelopes, graphql, project
from tests.integration.test_query_counts import PAGE, seed


def cyclic_garbage_of_one_read(settings: Settings, momentum: Momentum) -> Counter[str]:
    async def run() -> Counter[str]:
        async with graphql(settings, momentum) as execute:
            await execute(PAGE, MAYA, first=5)  # every cache a first read fills
            gc.collect()
            gc.disable()
            gc.set_debug(gc.DEBUG_SAVEALL)
            try:
                result: Any = await execute(PAGE, MAYA, first=5)
                gc.collect()
                found = Counter(type(o).__qualname__ for o in gc.garbage)
            finally:
                gc.set_debug(0)
                gc.garbage.clear()
                gc.enable()
            assert result.errors is None, result.errors
            assert len(result.data["goals"]["edges"]) == 5
            return found

    return asyncio.run(run())


def test_a_page_of_goals_with_every_list_leaves_no_cycle(momentum: Momentum, settings: Settings) -> None:
    seed(momentum, 5)
    project(settings, envelopes(momentum, settings))
    assert cyclic_garbage_of_one_read(settings, momentum) == Counter()
