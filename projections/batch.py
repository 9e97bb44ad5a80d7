"""The read models as the projector and the rebuild apply a batch: the batch's event types are
found once, and a read model that folds none of them is not asked (no scan of the batch, no
statement); the goal and timeline read models, when both are applied, share one goal fold
(projections/timeline/shared.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg import Cursor

from contracts.envelope import Envelope
from projections.goals.tables import GoalProjection
from projections.readmodel import Projection, ReadModel
from projections.timeline.shared import GoalsWithTimeline
from projections.timeline.tables import TimelineProjection


class Batched:
    def __init__(self, read_models: Sequence[ReadModel]) -> None:
        together = {type(m.projection) for m in read_models} >= {GoalProjection, TimelineProjection}
        self.steps: list[tuple[ReadModel, Projection]] = [
            (model, GoalsWithTimeline() if together and isinstance(model.projection, GoalProjection)
             else model.projection)
            for model in read_models if not (together and isinstance(model.projection, TimelineProjection))
        ]

    def apply(self, cur: Cursor[Any], events: list[Envelope]) -> None:
        types = {e["type"] for e in events}
        for model, projection in self.steps:
            if model.folds_any(types):
                projection.apply(cur, events)
