"""The Goal aggregate's lifecycle, proposals, alignment and key results, without I/O."""

import pytest

from domain.errors import ConflictError, NotFoundError, ValidationError
from domain.goal import Goal


def goal(**overrides: object) -> Goal:
    fields: dict[str, object] = {
        "title": "Grow",
        "owner_id": "ada",
        "actor": "ada",
        "cycle_id": "c1",
    }
    fields.update(overrides)
    return Goal.create(**fields)  # type: ignore[arg-type]


def names(g: Goal) -> list[str]:
    return [type(e).__name__ for e in g.collect_events()]


def test_a_goal_goes_from_draft_through_proposal_to_active_and_completed() -> None:
    g = goal()
    g.propose(actor="ada", comment="please")
    assert g.status == "proposed"
    g.approve(actor="boss")
    assert g.status == "active"
    g.complete(actor="ada", reason="done")
    assert g.status == "completed"
    assert names(g) == ["Created", "Proposed", "Approved", "Completed"]
    with pytest.raises(ConflictError):
        g.record_check_in(progress=5, actor="ada")


def test_rejection_and_requested_changes_send_a_proposal_back_to_draft_with_the_text() -> None:
    g = goal()
    g.propose(actor="ada")
    g.reject(reason="not aligned", actor="boss")
    assert g.status == "draft"
    g.propose(actor="ada")
    g.request_changes(comment="smaller scope", actor="boss")
    assert g.status == "draft"
    g.propose(actor="ada")
    with pytest.raises(ValidationError):
        g.reject(reason="  ", actor="boss")


@pytest.mark.parametrize("decision", ["approve", "reject", "request_changes"])
def test_there_is_nothing_to_decide_on_a_draft_without_proposal_except_activation(
    decision: str,
) -> None:
    g = goal()
    g.approve(actor="boss")
    with pytest.raises(ConflictError):
        if decision == "approve":
            g.approve(actor="boss")
        elif decision == "reject":
            g.reject(reason="no", actor="boss")
        else:
            g.request_changes(comment="no", actor="boss")


def test_a_change_to_an_active_goal_is_proposed_then_applied_on_approval() -> None:
    g = goal()
    g.approve(actor="boss")
    g.propose_change({"title": "Grow more", "weight": 3}, actor="ada", comment="bigger")
    assert g.title == "Grow" and g.pending_change == {"title": "Grow more", "weight": 3.0}
    with pytest.raises(ConflictError):
        g.propose_change({"title": "again"}, actor="ada")
    g.approve(actor="boss")
    assert (g.title, g.weight, g.pending_change) == ("Grow more", 3.0, None)


def test_a_rejected_change_is_dropped() -> None:
    g = goal()
    g.approve(actor="boss")
    g.propose_change({"description": "new"}, actor="ada")
    g.reject(reason="keep it", actor="boss")
    assert (g.description, g.pending_change, g.status) == ("", None, "active")


@pytest.mark.parametrize("changes", [{}, {"title": "Grow"}, {"owner_id": "bob"}, {"weight": -1}])
def test_a_change_proposal_must_change_something_proposable(changes: dict) -> None:  # type: ignore[type-arg]
    g = goal()
    g.approve(actor="boss")
    with pytest.raises(ValidationError):
        g.propose_change(changes, actor="ada")


def test_a_goal_aligns_only_within_its_cycle_and_never_under_its_own_descendant() -> None:
    top, middle, low = goal(title="top"), goal(title="middle"), goal(title="low")
    middle.align([top], weight=2, actor="ada")
    low.align([middle, top], weight=1, actor="ada")
    with pytest.raises(ValidationError):
        top.align([low, middle, top], weight=1, actor="ada")
    with pytest.raises(ValidationError):
        top.align([top], weight=1, actor="ada")
    with pytest.raises(ValidationError):
        low.align([goal(cycle_id="c2")], weight=1, actor="ada")
    with pytest.raises(ValidationError):
        goal(cycle_id="c2", parent=top)
    assert (middle.parent_id, middle.weight) == (str(top.id), 2.0)


def test_key_results_keep_their_progress_and_revised_targets() -> None:
    g = goal()
    g.add_key_result(
        key_result_id="k", title="Revenue", kind="increase_to", start=0, target=100, actor="ada"
    )
    g.check_in_key_result("k", value=50, confidence=8, actor="ada")
    g.revise_target("k", target=200, reason="bigger market", actor="ada")
    assert g.key_results["k"]["progress"] == 25.0
    events = g.collect_events()
    revised = events[-1]
    assert (revised.previous_target, revised.target, revised.reason) == (
        100.0,
        200.0,
        "bigger market",
    )
    with pytest.raises(ValidationError):
        g.revise_target("k", target=300, reason="", actor="ada")
    with pytest.raises(NotFoundError):
        g.check_in_key_result("nope", value=1, actor="ada")
    with pytest.raises(ValidationError):
        g.check_in_key_result("k", value=1, confidence=11, actor="ada")


def test_an_abandoned_goal_accepts_nothing() -> None:
    g = goal()
    g.abandon(actor="ada", reason="priorities changed")
    for change in (
        lambda: g.edit(title="x", actor="ada"),
        lambda: g.add_key_result(
            key_result_id="k", title="t", kind="milestone", start=0, target=1, actor="ada"
        ),
        lambda: g.propose(actor="ada"),
        lambda: g.abandon(actor="ada"),
    ):
        with pytest.raises(ConflictError):
            change()
