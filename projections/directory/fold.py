"""People, teams, service accounts and cycles, folded from public event envelopes. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from contracts.envelope import Envelope
from projections.readmodel import Fold
from projections.views import evolved, opened


@dataclass(frozen=True)
class PersonView:
    aggregate_id: str
    id: str
    name: str
    email: str
    manager_id: str | None
    team_id: str | None
    active: bool
    version: int
    last_sequence: int


@dataclass(frozen=True)
class TeamView:
    aggregate_id: str
    id: str
    name: str
    lead_id: str | None
    active: bool
    version: int
    last_sequence: int


@dataclass(frozen=True)
class ServiceAccountView:
    aggregate_id: str
    id: str
    name: str
    active: bool
    version: int
    last_sequence: int


@dataclass(frozen=True)
class CycleView:
    aggregate_id: str
    name: str
    starts_on: str
    ends_on: str
    timezone: str
    closed: bool
    status_reason: str
    version: int
    last_sequence: int


def _person_registered(_: Any, e: Envelope) -> PersonView:
    return opened(PersonView, e, id=e["data"]["person_id"], active=True)


def _team_registered(_: Any, e: Envelope) -> TeamView:
    return opened(TeamView, e, id=e["data"]["team_id"], active=True)


def _service_account_registered(_: Any, e: Envelope) -> ServiceAccountView:
    return opened(ServiceAccountView, e, id=e["data"]["account_id"], active=True)


def _cycle_created(_: Any, e: Envelope) -> CycleView:
    return opened(CycleView, e, closed=False, status_reason="")


def _update(view: Any, e: Envelope) -> Any:
    return evolved(view, **{k: v for k, v in e["data"].items() if k != "reason"})


def _deactivated(view: Any, _: Envelope) -> Any:
    return evolved(view, active=False)


def _cycle_closed(closed: bool) -> Callable[[CycleView, Envelope], CycleView]:
    return lambda view, e: evolved(view, closed=closed, status_reason=e["data"]["reason"])


PEOPLE = Fold(
    "person", {"Registered": _person_registered, "Updated": _update, "Deactivated": _deactivated}
)
TEAMS = Fold(
    "team", {"Registered": _team_registered, "Updated": _update, "Deactivated": _deactivated}
)
SERVICE_ACCOUNTS = Fold(
    "serviceaccount", {"Registered": _service_account_registered, "Deactivated": _deactivated}
)
CYCLES = Fold(
    "cycle",
    {"Created": _cycle_created, "Closed": _cycle_closed(True), "Reopened": _cycle_closed(False)},
)
