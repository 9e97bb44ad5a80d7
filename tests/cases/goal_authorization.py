"""Each authorization rule of the write side, against the real event store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest

from application.identity import Actor
from application.momentum import Momentum
from domain.errors import ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError
from domain.ids import person_uuid
from tests.integration.org import ADA, ADMIN, BOB, EVE, MAYA, build_org, stored_count


def refused(app: Momentum, error: type[DomainError], command: Callable[[], Any]) -> None:
    before = stored_count(app)
    with pytest.raises(error):
        command()
    assert stored_count(app) == before, "a refused command stored something"


# --- references: an aggregate the caller may not see is not found, exactly as a missing one ---

MISSING = "5e1d0c4b-aaaa-4bbb-8ccc-000000000001"


def hidden_like_missing(app: Momentum, command: Callable[[str], Any], hidden: str) -> None:
    """`command` naming `hidden` fails exactly as it does naming an id that does not exist
    (same code, same field, same message but for the id), and stores nothing."""
    errors = []
    for reference in (hidden, MISSING):
        before = stored_count(app)
        with pytest.raises(DomainError) as error:
            command(reference)
        assert stored_count(app) == before, "a refused command stored something"
        errors.append((error.value.code, error.value.field, error.value.message.replace(reference, "<id>")))
    assert errors[0] == errors[1]
    assert errors[0][0] == "NOT_FOUND"


class GoalAuthorizationCase:
    """Who may do what to goals, teams, cycles and references, on any event store: subclassed
    with a `momentum` fixture per store (tests/unit: in memory; tests/integration: PostgreSQL)."""

    def test_an_owner_edits_their_own_draft_and_nobody_else_may(self, momentum: Momentum) -> None:
        cycle = build_org(momentum)
        goal = str(momentum.goals.create_goal(ADA, title="Ship", cycle_id=cycle).aggregate_id)
        momentum.goals.edit_goal(ADA, goal, description="the thing")
        refused(momentum, ForbiddenError, lambda: momentum.goals.edit_goal(BOB, goal, title="mine now"))
        refused(momentum, ForbiddenError, lambda: momentum.goals.record_check_in(EVE, goal, progress=3))
        refused(
            momentum, ForbiddenError, lambda: momentum.goals.create_goal(BOB, title="For Ada", owner_id="ada")
        )

    def test_once_active_the_owner_proposes_changes_instead_of_editing(self, momentum: Momentum) -> None:
        cycle = build_org(momentum)
        goal = str(momentum.goals.create_goal(ADA, title="Ship", cycle_id=cycle).aggregate_id)
        momentum.goals.propose_goal(ADA, goal, "ready")
        refused(momentum, ForbiddenError, lambda: momentum.goals.edit_goal(ADA, goal, title="sneaky"))
        momentum.goals.approve_goal(MAYA, goal)
        refused(momentum, ForbiddenError, lambda: momentum.goals.edit_goal(ADA, goal, title="sneaky"))
        momentum.goals.propose_goal_change(ADA, goal, {"title": "Ship it"}, "clearer")
        momentum.goals.approve_goal(MAYA, goal, "fine")
        assert momentum.goals.get_goal(goal).title == "Ship it"
        momentum.goals.record_check_in(ADA, goal, progress=10)

    def test_only_the_owners_manager_or_an_admin_decides(self, momentum: Momentum) -> None:
        cycle = build_org(momentum)
        goal = str(momentum.goals.create_goal(ADA, title="Ship", cycle_id=cycle).aggregate_id)
        momentum.goals.propose_goal(ADA, goal)
        for outsider in (ADA, BOB, EVE):
            refused(momentum, ForbiddenError, lambda a=outsider: momentum.goals.approve_goal(a, goal))  # type: ignore[misc]
            refused(momentum, ForbiddenError, lambda a=outsider: momentum.goals.reject_goal(a, goal, "no"))  # type: ignore[misc]
        momentum.goals.request_goal_changes(MAYA, goal, "smaller")
        momentum.goals.propose_goal(ADA, goal)
        momentum.goals.approve_goal(ADMIN, goal)
        assert momentum.goals.get_goal(goal).status == "active"

    def test_a_team_goal_is_edited_by_its_lead_and_decided_by_the_leads_manager(
        self, momentum: Momentum,
    ) -> None:
        cycle = build_org(momentum)
        momentum.directory.update_person(
            ADMIN, "maya", name="Maya", email="maya@example.com", team_id="core", manager_id="eve"
        )
        goal = str(
            momentum.goals.create_goal(
                MAYA, title="Core", owner_kind="team", owner_id="core", cycle_id=cycle
            ).aggregate_id
        )
        refused(momentum, ForbiddenError, lambda: momentum.goals.edit_goal(ADA, goal, title="x"))
        refused(momentum, ForbiddenError, lambda: momentum.goals.create_goal(  # a member is not its lead
            ADA, title="Core too", owner_kind="team", owner_id="core", cycle_id=cycle))
        momentum.goals.propose_goal(MAYA, goal)
        refused(momentum, ForbiddenError, lambda: momentum.goals.approve_goal(MAYA, goal))
        momentum.goals.approve_goal(EVE, goal)

    def test_a_rule_decided_by_who_asks_reads_nothing_of_the_directory(
        self, momentum: Momentum, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """The owner's check-ins (and an admin's) on public and private goals need no manager nor
        team: the owner's directory entry is read only by a rule that asks for it, once per command."""
        cycle = build_org(momentum)
        goals = [str(momentum.goals.create_goal(ADA, title=v, visibility=v, cycle_id=cycle).aggregate_id)
                 for v in ("public", "private", "team")]
        read: list[UUID] = []
        get = momentum.repository.get

        def counted(aggregate_id: UUID, **kwargs: Any) -> Any:
            read.append(aggregate_id)
            return get(aggregate_id, **kwargs)

        monkeypatch.setattr(momentum.repository, "get", counted)
        for goal in goals:
            momentum.goals.record_check_in(ADA, goal, progress=5)
            momentum.goals.record_check_in(ADMIN, goal, progress=6)
        momentum.goals.propose_goal(ADA, goals[0])
        assert read.count(person_uuid("ada")) == 0
        momentum.goals.approve_goal(MAYA, goals[0])  # the manager decides: the rule asks who manages ada
        assert read.count(person_uuid("ada")) == 1

    def test_a_person_registered_after_their_goal_is_found_by_the_rules_that_ask(self, momentum: Momentum) -> None:
        build_org(momentum)
        zed = Actor("zed")
        goal = str(momentum.goals.create_goal(zed, title="Mine", visibility="private").aggregate_id)
        momentum.goals.propose_goal(zed, goal)
        hidden_like_missing(momentum, lambda g: momentum.goals.approve_goal(MAYA, g), goal)
        momentum.directory.register_person(ADMIN, person_id="zed", name="Zed", email="zed@example.com",
                                           manager_id="maya")
        momentum.goals.approve_goal(MAYA, goal)  # now their manager: sees the private goal and decides
        assert momentum.goals.get_goal(goal).status == "active"

    def test_a_closed_cycle_refuses_changes_until_an_admin_reopens_it_with_a_reason(
        self, momentum: Momentum,
    ) -> None:
        cycle = build_org(momentum)
        goal = str(momentum.goals.create_goal(ADA, title="Ship", cycle_id=cycle).aggregate_id)
        refused(momentum, ForbiddenError, lambda: momentum.cycles.close_cycle(MAYA, cycle))
        momentum.cycles.close_cycle(ADMIN, cycle, "quarter over")
        refused(momentum, ConflictError, lambda: momentum.goals.record_check_in(ADA, goal, progress=5))
        refused(
            momentum, ConflictError, lambda: momentum.goals.create_goal(ADA, title="Late", cycle_id=cycle)
        )
        refused(momentum, ValidationError, lambda: momentum.cycles.reopen_cycle(ADMIN, cycle, " "))
        refused(momentum, ForbiddenError, lambda: momentum.cycles.reopen_cycle(ADA, cycle, "please"))
        momentum.cycles.reopen_cycle(ADMIN, cycle, "late numbers")
        momentum.goals.record_check_in(ADA, goal, progress=5)

    def test_alignment_stays_in_the_cycle_and_never_loops(self, momentum: Momentum) -> None:
        cycle = build_org(momentum)
        other = str(
            momentum.cycles.create_cycle(
                ADMIN, name="Q2", starts_on="2027-04-01", ends_on="2027-06-30"
            ).aggregate_id
        )
        top = str(
            momentum.goals.create_goal(ADMIN, title="Top", owner_id="maya", cycle_id=cycle).aggregate_id
        )
        mid = str(momentum.goals.create_goal(MAYA, title="Mid", parent_id=top, cycle_id=cycle).aggregate_id)
        low = str(momentum.goals.create_goal(ADA, title="Low", parent_id=mid, cycle_id=cycle).aggregate_id)
        refused(momentum, ValidationError, lambda: momentum.goals.align_goal(ADMIN, top, parent_id=low))
        refused(momentum, ValidationError, lambda: momentum.goals.align_goal(ADMIN, top, parent_id=top))
        refused(
            momentum,
            ValidationError,
            lambda: momentum.goals.create_goal(ADA, title="x", parent_id=top, cycle_id=other),
        )
        refused(
            momentum,
            NotFoundError,
            lambda: momentum.goals.align_goal(ADA, low, parent_id="7d2b1c9e-0000-4000-8000-000000000000"),
        )
        momentum.goals.align_goal(ADA, low, parent_id=top, weight=2)
        assert momentum.goals.get_goal(low).parent_id == top

    def test_directory_commands_are_for_admins_and_check_their_references(self, momentum: Momentum) -> None:
        build_org(momentum)
        zed = {"person_id": "zed", "name": "Z", "email": "z@x.io"}

        def register(actor: Any, **changes: Any) -> Callable[[], Any]:
            return lambda: momentum.directory.register_person(actor, **{**zed, **changes})

        refused(momentum, ForbiddenError, register(MAYA))
        refused(momentum, ValidationError, register(ADMIN, email="nope"))
        refused(momentum, ValidationError, register(ADMIN, manager_id="ghost"))
        refused(momentum, ConflictError, register(ADMIN, person_id="ada", name="A", email="a@x.io"))
        refused(
            momentum,
            ValidationError,
            lambda: momentum.directory.update_person(
                ADMIN, "maya", name="Maya", email="maya@example.com", manager_id="ada"
            ),
        )
        momentum.directory.deactivate_person(ADMIN, "bob", "left")
        refused(momentum, ConflictError, lambda: momentum.directory.deactivate_person(ADMIN, "bob", "again"))
        refused(
            momentum,
            ValidationError,
            lambda: momentum.goals.create_goal(MAYA, title="For Bob", owner_id="bob"),
        )
        refused(momentum, NotFoundError, lambda: momentum.directory.deactivate_team(ADMIN, "nope"))

    def test_a_goal_one_may_not_see_cannot_be_a_parent(self, momentum: Momentum) -> None:
        cycle = build_org(momentum)
        private = str(momentum.goals.create_goal(MAYA, title="Secret roll-up", visibility="private", cycle_id=cycle,
                                           rolls_up=True).aggregate_id)
        mine = str(momentum.goals.create_goal(EVE, title="Mine", cycle_id=cycle).aggregate_id)
        hidden_like_missing(momentum, lambda p: momentum.goals.create_goal(
            EVE, title="Under", parent_id=p, cycle_id=cycle
        ),
                            private)
        hidden_like_missing(momentum, lambda p: momentum.goals.align_goal(EVE, mine, parent_id=p), private)
        hidden_like_missing(momentum, lambda p: momentum.goals.create_goal(
            ADA, title="Under", parent_id=p, cycle_id=cycle
        ),
                            private)  # her report's manager's goal: ada is not maya's manager
        momentum.goals.create_goal(ADMIN, title="Admins see all", owner_id="eve", parent_id=private, cycle_id=cycle)

    def test_a_team_goal_is_a_reference_only_for_its_team(self, momentum: Momentum) -> None:
        cycle = build_org(momentum)
        team_goal = str(momentum.goals.create_goal(
            ADA, title="Core only", visibility="team", cycle_id=cycle
        ).aggregate_id)
        momentum.goals.create_goal(BOB, title="Same team", parent_id=team_goal, cycle_id=cycle)
        hidden_like_missing(momentum, lambda p: momentum.goals.create_goal(
            EVE, title="Ops", parent_id=p, cycle_id=cycle
        ),
                            team_goal)
        momentum.goals.edit_goal(ADA, team_goal, visibility="public")
        momentum.goals.create_goal(EVE, title="Now public", parent_id=team_goal, cycle_id=cycle)

    def test_the_owner_and_their_manager_may_reference_a_private_goal(self, momentum: Momentum) -> None:
        cycle = build_org(momentum)
        private = str(momentum.goals.create_goal(ADA, title="Mine", visibility="private", cycle_id=cycle).aggregate_id)
        momentum.goals.create_goal(ADA, title="Owner", parent_id=private, cycle_id=cycle)
        momentum.goals.create_goal(MAYA, title="Manager", parent_id=private, cycle_id=cycle)
        momentum.feedback.give_feedback(
            MAYA, recipient_id="ada", kind="note", visibility="private", text="ok", goal_id=private
        )

    def test_a_goal_one_may_not_see_is_not_found_by_the_commands_that_change_it(self, momentum: Momentum) -> None:
        cycle = build_org(momentum)
        private = str(momentum.goals.create_goal(ADA, title="Mine", visibility="private", cycle_id=cycle).aggregate_id)
        hidden_like_missing(momentum, lambda g: momentum.goals.record_check_in(EVE, g, progress=50), private)
        hidden_like_missing(momentum, lambda g: momentum.goals.edit_goal(BOB, g, title="x"), private)
        hidden_like_missing(momentum, lambda g: momentum.goals.approve_goal(EVE, g), private)
        public = str(momentum.goals.create_goal(ADA, title="Public", cycle_id=cycle).aggregate_id)
        refused(momentum, ForbiddenError, lambda: momentum.goals.record_check_in(
            EVE, public, progress=1
        ))  # seen: forbidden

    def test_feedback_and_requests_may_only_be_about_a_goal_one_may_see(self, momentum: Momentum) -> None:
        cycle = build_org(momentum)
        private = str(momentum.goals.create_goal(ADA, title="Mine", visibility="private", cycle_id=cycle).aggregate_id)
        hidden_like_missing(momentum, lambda g: momentum.feedback.give_feedback(
            EVE, recipient_id="ada", kind="note", visibility="public", text="hi", goal_id=g), private)
        hidden_like_missing(momentum, lambda g: momentum.feedback.request_feedback(
            BOB, respondent_ids=["ada"], question="?", goal_id=g), private)

    def test_a_request_or_feedback_one_may_not_see_is_not_found(self, momentum: Momentum) -> None:
        build_org(momentum)
        request = str(momentum.feedback.request_feedback(BOB, respondent_ids=["ada"], question="How?").aggregate_id)
        hidden_like_missing(momentum, lambda r: momentum.feedback.decline_feedback_request(EVE, r), request)
        hidden_like_missing(momentum, lambda r: momentum.feedback.give_feedback(
            EVE, recipient_id="bob", kind="note", visibility="public", text="hi", request_id=r), request)
        feedback = str(momentum.feedback.give_feedback(ADA, recipient_id="bob", kind="note", visibility="private",
                                              text="between us").aggregate_id)
        hidden_like_missing(momentum, lambda f: momentum.feedback.acknowledge_feedback(EVE, f), feedback)
        hidden_like_missing(momentum, lambda f: momentum.feedback.acknowledge_feedback(ADMIN, f), feedback)
