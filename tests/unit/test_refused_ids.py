"""An id that is not one is refused with a message that repeats at most 80 characters of it,
however long it was sent (domain.errors.echoed), by the API and by the event store alike."""

import pytest

from api.resolvers import require_uuid
from application.store import EventStore
from domain.errors import ValidationError
from domain.goal import Goal


def test_a_short_id_is_repeated_whole_and_a_long_one_cut() -> None:
    with pytest.raises(ValidationError, match=r"^'nope' is not a valid id$"):
        require_uuid("nope", "id")
    with pytest.raises(ValidationError) as refused:
        require_uuid("x" * 100_000, "id")
    assert str(refused.value) == "'" + "x" * 76 + "... is not a valid id"


def test_an_id_is_its_uuid_written_the_usual_way() -> None:
    assert require_uuid("A88849E8-7CFB-4D19-9092-340AAD8A7761", "id") == "a88849e8-7cfb-4d19-9092-340aad8a7761"


def test_an_aggregate_id_the_store_refuses_is_cut_as_well() -> None:
    """Command inputs reach the event store's own parse of the id (recordCheckIn's goalId did,
    and came back whole: 100,000 characters)."""
    store = EventStore(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    with pytest.raises(ValidationError) as refused:
        store.get(Goal, "x" * 100_000, field="goalId")
    assert str(refused.value) == "'" + "x" * 76 + "... is not a valid id"
    assert refused.value.field == "goalId"
