"""The Momentum event-sourced application: every command of the write side."""

from __future__ import annotations

from typing import ClassVar

from application.achievements import AchievementCommands
from application.audit import AuditLedger
from application.store import Stored
from domain.goal import Goal

__all__ = ["Momentum", "Stored"]


class Momentum(AuditLedger, AchievementCommands):
    """Directory, cycle, goal, feedback, recognition and achievement commands over one event
    store (get → call → save); every event is chained (contracts/chain.py) and goals are
    snapshotted for time travel."""

    name = "momentum"
    snapshotting_intervals: ClassVar[dict[type, int]] = {Goal: 100}  # type: ignore[assignment]
