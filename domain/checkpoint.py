"""A checkpoint of the hash chains: the root over every aggregate's head link up to a global
sequence. Being an event itself, it is chained, published to Kafka and kept forever, so an
alteration of history before it cannot be hidden by recomputing the chains."""

from __future__ import annotations

from eventsourcing.domain import Aggregate, event

from domain.errors import ValidationError
from domain.rules import identifier

HEX_DIGITS = frozenset("0123456789abcdef")


class ChainCheckpoint(Aggregate):
    @classmethod
    def take(cls, *, through_sequence: int, aggregates: int, root: str, actor: str) -> ChainCheckpoint:
        if through_sequence < 0 or aggregates < 0:
            raise ValidationError("a checkpoint counts from 0", field="throughSequence")
        if len(root) != 64 or not set(root) <= HEX_DIGITS:
            raise ValidationError("the root must be a SHA-256 in hex", field="root")
        return cls(
            through_sequence=through_sequence, aggregates=aggregates, root=root, actor=identifier(actor, "actor")
        )

    @event("Taken")
    def __init__(self, *, through_sequence: int, aggregates: int, root: str, actor: str) -> None:
        self.through_sequence = through_sequence
        self.aggregates = aggregates
        self.root = root
