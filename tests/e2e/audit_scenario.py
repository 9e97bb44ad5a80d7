"""A small audited history: a company goal and ada's aligned goal with a key result."""

from __future__ import annotations

from application.momentum import Momentum
from tests.integration.org import ADA, ADMIN, build_org


def scenario(app: Momentum) -> tuple[str, str, str, int]:
    cycle = build_org(app)
    company = str(app.goals.create_goal(ADMIN, title="Company", cycle_id=cycle, rolls_up=True).aggregate_id)
    mine = str(app.goals.create_goal(ADA, title="Ship", cycle_id=cycle, parent_id=company).aggregate_id)
    _, kr = app.goals.add_key_result(ADA, mine, title="Features", kind="increase_to", start=0, target=10)
    app.goals.check_in_key_result(ADA, mine, kr, value=4, confidence=6, note="on track")
    app.goals.edit_goal(ADA, mine, title="Ship v2", reason="scope grew")
    last = app.goals.check_in_key_result(ADA, mine, kr, value=8, confidence=7)
    assert last.sequence is not None
    return cycle, company, mine, last.sequence
