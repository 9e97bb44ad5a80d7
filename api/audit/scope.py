"""An audit export's request (goal, person or cycle; since, until; format), checked and made a
Scope: the one parser of the HTTP route and the CLI."""

from __future__ import annotations

from datetime import datetime

from api.resolvers import require_uuid
from domain.errors import ValidationError
from projections.timeline.export import FORMATS
from projections.timeline.queries import Scope


def _moment(value: str | None, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(f"{field} must be an ISO date-time", field=field) from None
    if moment.tzinfo is None:
        raise ValidationError(f"{field} must carry a time zone", field=field)
    return moment


def _uuid(value: str | None, field: str) -> str | None:
    return None if value is None else require_uuid(value, field)


def export_scope(
    *, goal: str | None, person: str | None, cycle: str | None, since: str | None, until: str | None, fmt: str
) -> Scope:
    if sum(v is not None for v in (goal, person, cycle)) != 1:
        raise ValidationError("export exactly one of goal, person or cycle", field="goal")
    if fmt not in FORMATS:
        raise ValidationError(f"format must be one of {FORMATS}", field="format")
    return Scope(goal=_uuid(goal, "goal"), person=person, cycle=_uuid(cycle, "cycle"),
                 since=_moment(since, "since"), until=_moment(until, "until"))
