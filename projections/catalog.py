"""Every read model, in the order the projector applies them: the one list that the projector,
rebuild and verify, erasure and schema creation read (bootstrap.read_models hands it out)."""

from __future__ import annotations

from projections.directory import tables as directory
from projections.feedback import tables as feedback
from projections.gamification import tables as gamification
from projections.goals import tables as goals
from projections.readmodel import ReadModel
from projections.reminders import tables as reminders
from projections.timeline import tables as timeline


def read_models() -> list[ReadModel]:
    return [
        goals.read_model(), *directory.read_models(), timeline.read_model(),
        *feedback.read_models(), *gamification.read_models(), reminders.read_model(),
    ]
