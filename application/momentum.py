"""The Momentum event-sourced application: every command of the write side."""

from __future__ import annotations

from application.goals import GoalCommands
from application.store import Stored

__all__ = ["Momentum", "Stored"]


class Momentum(GoalCommands):
    """Directory, cycle and goal commands over one event store (get → call → save)."""

    name = "momentum"
