"""A batch is offered only to the read models that fold one of its event types."""

from __future__ import annotations

from typing import Any

from projections.batch import Batched
from projections.readmodel import ReadModel


class Recording:
    def __init__(self, folded: str | None = None) -> None:
        self.folded = folded
        self.batches: list[list[dict[str, Any]]] = []

    def apply(self, cur: Any, events: list[dict[str, Any]]) -> None:
        self.batches.append(events)


class Telling(Recording):
    def folds(self, event_type: str) -> bool:
        return event_type == self.folded


def test_a_read_model_that_folds_none_of_the_batch_types_is_not_asked() -> None:
    people, kudos = Telling("momentum.person.Registered.v1"), Telling("momentum.recognition.KudosGiven.v1")
    other = Recording()  # cannot tell: always asked
    batch = [{"type": "momentum.person.Registered.v1"}, {"type": "momentum.goal.Created.v2"}]
    models = [ReadModel(name, (name,), "", p) for name, p in [("people", people), ("kudos", kudos), ("other", other)]]
    Batched(models).apply(None, batch)
    assert people.batches == [batch] and kudos.batches == [] and other.batches == [batch]
