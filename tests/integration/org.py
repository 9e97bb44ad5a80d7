"""A small org for integration tests: an admin, a manager with two reports, a team."""

from __future__ import annotations

from application.identity import Actor
from application.momentum import Momentum

ADMIN = Actor("root", frozenset({"admin"}))
MAYA, ADA, BOB, EVE = Actor("maya"), Actor("ada"), Actor("bob"), Actor("eve")


def build_org(app: Momentum) -> str:
    """maya manages ada and bob, who are in team `core` led by maya; eve is in team `ops`.
    Returns the id of an open cycle."""
    app.directory.register_team(ADMIN, team_id="core", name="Core")
    app.directory.register_team(ADMIN, team_id="ops", name="Ops")
    app.directory.register_person(
        ADMIN, person_id="maya", name="Maya", email="maya@example.com", team_id="core"
    )
    app.directory.update_team(ADMIN, "core", name="Core", lead_id="maya")
    for person in ("ada", "bob"):
        app.directory.register_person(
            ADMIN,
            person_id=person,
            name=person.title(),
            email=f"{person}@example.com",
            manager_id="maya",
            team_id="core",
        )
    app.directory.register_person(ADMIN, person_id="eve", name="Eve", email="eve@example.com", team_id="ops")
    return str(
        app.cycles.create_cycle(
            ADMIN, name="2027-Q1", starts_on="2027-01-01", ends_on="2027-03-31"
        ).aggregate_id
    )


def stored_count(app: Momentum) -> int:
    return app.recorder.max_notification_id() or 0
