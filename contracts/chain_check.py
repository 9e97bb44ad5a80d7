"""Recomputes hash chains over a stream of envelopes and finds the first break. Pure: the
caller supplies the envelopes (from the event store or the topic) and the stored links."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from contracts.chain import GENESIS, digest, link, root
from contracts.envelope import Envelope

Key = tuple[str, int]
CHECKPOINT_TYPE = "momentum.chaincheckpoint.Taken.v1"


@dataclass(frozen=True)
class Break:
    sequence: int
    subject: str
    version: int
    type: str
    reason: str
    where: str = ""

    def describe(self) -> str:
        place = f" ({self.where})" if self.where else ""
        return (f"chain broken at sequence {self.sequence}{place}: {self.type} of {self.subject} "
                f"version {self.version}: {self.reason}")


@dataclass(frozen=True, order=True)
class Checkpoint:
    through_sequence: int
    root: str
    sequence: int


@dataclass
class Report:
    events: int = 0
    aggregates: int = 0
    checkpoints: int = 0
    first_break: Break | None = None
    breaks: list[Break] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.first_break is None


def checkpoints_in(envelopes: Iterable[Envelope]) -> list[Checkpoint]:
    return sorted(
        Checkpoint(int(e["data"]["through_sequence"]), str(e["data"]["root"]), int(e["sequence"]))
        for e in envelopes if e["type"] == CHECKPOINT_TYPE
    )


class ChainCheck:
    """Feed envelopes in sequence order (one event may come twice, as a duplicate record);
    each is linked to the recomputed link of its predecessor and compared with the stored
    link. Checkpoints are compared with the root of the recomputed heads at their sequence."""

    def __init__(self, stored_links: Callable[[Sequence[Key]], Mapping[Key, str]], checkpoints: Sequence[Checkpoint]):
        self.stored_links = stored_links
        self.pending = list(checkpoints)
        self.links: dict[Key, str] = {}
        self.heads: dict[str, tuple[int, str]] = {}
        self.report = Report()

    def feed(self, batch: Sequence[tuple[Envelope, str]]) -> None:
        """`batch`: (envelope, where it was read) in sequence order."""
        stored = self.stored_links([(str(e["subject"]), int(e["aggregateversion"])) for e, _ in batch])
        for envelope, where in batch:
            self._check_checkpoints_before(int(envelope["sequence"]))
            self._check_event(envelope, where, stored)

    def finish(self) -> Report:
        self._check_checkpoints_before(None)
        self.report.aggregates = len(self.heads)
        return self.report

    def _check_event(self, e: Envelope, where: str, stored: Mapping[Key, str]) -> None:
        subject, version = str(e["subject"]), int(e["aggregateversion"])
        self.report.events += 1
        previous = GENESIS if version == 1 else self.links.get((subject, version - 1))
        if previous is None:
            self._broken(e, where, f"version {version - 1} of this aggregate is missing")
            return
        recomputed = link(previous, digest(e))
        expected = stored.get((subject, version))
        if expected is None:
            self._broken(e, where, "the event store holds no link for this event")
        elif recomputed != expected:
            self._broken(e, where, "its content does not match the hash chain (altered or forged)")
        if (subject, version) in self.links:
            return  # a duplicate record: the chain continues from the first one
        self.links[(subject, version)] = recomputed
        if version > self.heads.get(subject, (0, ""))[0]:
            self.heads[subject] = (version, recomputed)

    def _check_checkpoints_before(self, sequence: int | None) -> None:
        while self.pending and (sequence is None or self.pending[0].through_sequence < sequence):
            checkpoint = self.pending.pop(0)
            self.report.checkpoints += 1
            if root((s, h) for s, (_, h) in self.heads.items()) != checkpoint.root:
                self._record(Break(checkpoint.sequence, "checkpoint", 0, CHECKPOINT_TYPE,
                                   f"the chain heads up to sequence {checkpoint.through_sequence} "
                                   "do not match this checkpoint's root"))

    def _broken(self, e: Envelope, where: str, reason: str) -> None:
        subject, version = str(e["subject"]), int(e["aggregateversion"])
        self._record(Break(int(e["sequence"]), subject, version, str(e["type"]), reason, where))

    def _record(self, found: Break) -> None:
        self.report.breaks.append(found)
        if self.report.first_break is None or found.sequence < self.report.first_break.sequence:
            self.report.first_break = found
