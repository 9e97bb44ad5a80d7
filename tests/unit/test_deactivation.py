"""A person, a team and a service account are deactivated once (domain.directory.Deactivation):
a second deactivation is a conflict naming the entry, and the reason is checked text."""

from __future__ import annotations

import pytest
from eventsourcing.domain import Aggregate

from domain.directory import Person, Team
from domain.errors import ConflictError, ValidationError
from domain.integrations import ServiceAccount

ENTRIES = {
    "person ada": lambda: Person.register(person_id="ada", name="Ada", email="ada@example.com", actor="root"),
    "team core": lambda: Team.register(team_id="core", name="Core", actor="root"),
    "service account crm": lambda: ServiceAccount.register(account_id="crm", name="CRM sync", actor="root"),
}


@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_an_entry_is_deactivated_once(entry: str) -> None:
    aggregate: Aggregate = ENTRIES[entry]()
    aggregate.deactivate(reason="left", actor="root")  # type: ignore[attr-defined]
    assert aggregate.active is False  # type: ignore[attr-defined]
    assert [type(e).__name__ for e in aggregate.collect_events()][-1] == "Deactivated"
    with pytest.raises(ConflictError, match=f"^{entry} is already deactivated$"):
        aggregate.deactivate(reason="again", actor="root")  # type: ignore[attr-defined]
    assert aggregate.collect_events() == []


@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_a_deactivation_reason_must_be_text(entry: str) -> None:
    aggregate: Aggregate = ENTRIES[entry]()
    with pytest.raises(ValidationError):
        aggregate.deactivate(reason="nul\x00", actor="root")  # type: ignore[attr-defined]
    assert aggregate.active is True  # type: ignore[attr-defined]
