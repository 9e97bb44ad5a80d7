"""The Momentum event-sourced application: one event store, and the command groups composed
over it, each given what it needs (get → call → save)."""

from __future__ import annotations

from typing import ClassVar

from application.achievements import AchievementCommands
from application.audit import AuditCommands
from application.cycles import CycleCommands
from application.directory import DirectoryCommands
from application.feedback import FeedbackCommands
from application.goals import GoalCommands
from application.integrations import IntegrationCommands
from application.recognition import RecognitionCommands
from application.reminders import ReminderCommands
from application.store import EventStore, KeyStoreFor, Stored, memory_keys
from domain.goal import Goal

__all__ = ["Momentum", "Stored"]


class Momentum(EventStore):
    """Every event is saved with its chain digest (contracts/chain.py); goals are snapshotted for
    time travel. The persistence (in memory by default; PostgreSQL with the chained recorder and
    its key store) is chosen by bootstrap.py."""

    name = "momentum"
    snapshotting_intervals: ClassVar[dict[type, int]] = {Goal: 100}  # type: ignore[assignment]

    def __init__(self, env: dict[str, str] | None = None, *, keys: KeyStoreFor = memory_keys):
        super().__init__(env, keys=keys)
        self.directory = DirectoryCommands(self)
        self.cycles = CycleCommands(self)
        self.goals = GoalCommands(self, self.directory, self.cycles)
        self.feedback = FeedbackCommands(self, self.directory, self.goals)
        self.recognition = RecognitionCommands(self, self.directory)
        self.achievements = AchievementCommands(self)
        self.reminders = ReminderCommands(self)
        self.audit = AuditCommands(self, self.goals, self.directory)
        self.integrations = IntegrationCommands(self, self.directory, self.cycles)
