"""Output fields whose values form a closed set in the domain are GraphQL enums holding exactly that
set: a value the domain adds without the enum would fail every read that meets it."""

from __future__ import annotations

import enum
from collections.abc import Collection

import pytest

from api.feedback.types import FeedbackDirection, FeedbackKind, FeedbackVisibility
from api.goals.types import CheckInCadence, DialogueKind, GoalStatus, KeyResultKind, OwnerKind, Visibility
from api.insight.reads import STEPS
from api.insight.types import GoalHealth, HistoryBucket
from api.integrations.types import MeasurementRefusal, MeasurementStatus
from application import integrations
from domain import cadence, feedback, goal, key_results, pace
from projections.goals.fold import DIALOGUE_TEXT


@pytest.mark.parametrize(
    ("graphql_enum", "domain_values"),
    [
        (GoalStatus, goal.STATUSES),
        (OwnerKind, goal.OWNER_KINDS),
        (Visibility, goal.VISIBILITIES),
        (KeyResultKind, key_results.KINDS),
        (FeedbackKind, feedback.KINDS),
        (FeedbackVisibility, feedback.VISIBILITIES),
        (FeedbackDirection, feedback.DIRECTIONS),
        (DialogueKind, DIALOGUE_TEXT),
        (GoalHealth, pace.HEALTHS),
        (HistoryBucket, STEPS),
        (CheckInCadence, cadence.CADENCES),
        (MeasurementStatus, [status.value for status in integrations.Status]),
        (MeasurementRefusal, [reason.value for reason in integrations.Reason]),
    ],
)
def test_each_enum_holds_exactly_the_values_of_its_domain_set(
    graphql_enum: type[enum.Enum], domain_values: Collection[str]
) -> None:
    assert sorted(member.value for member in graphql_enum) == sorted(domain_values)
