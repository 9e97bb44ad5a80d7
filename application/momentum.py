"""The Momentum event-sourced application: every command of the write side."""

from __future__ import annotations

from application.achievements import AchievementCommands
from application.store import Stored

__all__ = ["Momentum", "Stored"]


class Momentum(AchievementCommands):
    """Directory, cycle, goal, feedback, recognition and achievement commands over one event
    store (get → call → save)."""

    name = "momentum"
