"""Goal commands: who may act is decided here, from the write model; what is valid, in the Goal."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from uuid import uuid4

from eventsourcing.domain import Aggregate

from application.access import (
    Owner,
    OwnerFacts,
    may_decide,
    may_edit,
    may_see,
    require_decider,
    require_editor,
    sees_whoever_owns,
)
from application.cycles import CycleCommands
from application.directory import DirectoryCommands
from application.identity import Actor
from application.store import EventStore, Stored, not_found
from domain.cadence import DEFAULT_CADENCE, checked_cadence
from domain.cycle import Cycle
from domain.directory import Person, Team
from domain.errors import DomainError, ForbiddenError, ValidationError
from domain.goal import Goal
from domain.integrations import MetricLink, metric_link_uuid

MAX_DEPTH = 1000


@dataclass(frozen=True)
class GoalCommands:
    app: EventStore
    directory: DirectoryCommands
    cycles: CycleCommands

    def create_goal(
        self,
        actor: Actor,
        *,
        title: str,
        owner_id: str | None = None,
        owner_kind: str = "person",
        description: str = "",
        visibility: str = "public",
        cycle_id: str | None = None,
        parent_id: str | None = None,
        weight: float = 1.0,
        rolls_up: bool = False,
        check_in_cadence: str = DEFAULT_CADENCE,
    ) -> Stored:
        cadence = checked_cadence(check_in_cadence)
        owner = self._owner(actor, owner_kind, actor.id if owner_id is None else owner_id)
        if not (may_edit(actor, owner) or may_decide(actor, owner)):
            raise ForbiddenError("only the owner, their manager or an admin may create this goal")
        cycle = None if cycle_id is None else self.cycles.get_cycle(cycle_id)
        if cycle is not None:
            cycle.require_open()
        parent = None if parent_id is None else self.visible_goal(actor, parent_id, "parentId")
        goal = Goal.create(
            title=title,
            description=description,
            owner_kind=owner.kind,
            owner_id=owner.id,
            visibility=visibility,
            cycle_id=None if cycle is None else str(cycle.id),
            parent=parent,
            weight=weight,
            rolls_up=rolls_up,
            actor=actor.id,
        )
        goal.set_cadence(cadence, actor=actor.id)  # a second event, stored with Created, unless weekly
        return self.app.store(goal)

    def get_goal(self, goal_id: str, version: int | None = None) -> Goal:
        return self.app.get(Goal, goal_id, version)

    # --- the definition: owner while draft, manager or admin at any time --------------

    def edit_goal(self, actor: Actor, goal_id: str, *, reason: str = "", **details: Any) -> Stored:
        return self._define(
            actor, goal_id, lambda g: g.edit(actor=actor.id, reason=reason, **details)
        )

    def change_goal_title(self, actor: Actor, goal_id: str, title: str, reason: str = "") -> Stored:
        return self.edit_goal(actor, goal_id, title=title, reason=reason)

    def align_goal(
        self,
        actor: Actor,
        goal_id: str,
        *,
        parent_id: str | None,
        weight: float = 1.0,
        reason: str = "",
    ) -> Stored:
        def align(goal: Goal) -> None:
            ancestry = [] if parent_id is None else self._ancestry(actor, parent_id)
            goal.align(ancestry, weight=weight, actor=actor.id, reason=reason)

        return self._define(actor, goal_id, align)

    def change_goal_owner(
        self,
        actor: Actor,
        goal_id: str,
        *,
        owner_id: str,
        owner_kind: str = "person",
        reason: str = "",
    ) -> Stored:
        def change(goal: Goal) -> None:
            owner = self._owner(actor, owner_kind, owner_id)
            goal.change_owner(
                owner_kind=owner.kind, owner_id=owner.id, actor=actor.id, reason=reason
            )

        return self._define(actor, goal_id, change)

    def move_goal_to_cycle(self, actor: Actor, goal_id: str, *, cycle_id: str, reason: str) -> Stored:
        """The goal's cycle and the one it moves to must both be open."""

        def move(goal: Goal) -> None:
            target = self.app.get(Cycle, cycle_id, field="cycleId")
            target.require_open()
            goal.move_to_cycle(str(target.id), reason=reason, actor=actor.id)

        return self._define(actor, goal_id, move)

    def set_check_in_cadence(self, actor: Actor, goal_id: str, cadence: str) -> Stored:
        return self._change(
            actor, goal_id, _editor_or_decider, lambda g: g.set_cadence(cadence, actor=actor.id)
        )

    def add_key_result(
        self,
        actor: Actor,
        goal_id: str,
        *,
        title: str,
        kind: str,
        start: float = 0.0,
        target: float = 1.0,
        unit: str = "",
        weight: float = 1.0,
        metric_key: str | None = None,
    ) -> tuple[Stored, str]:
        """`metric_key`: the key result is linked to it in the same command (see link_metric)."""
        key_result_id = str(uuid4())

        def add(goal: Goal) -> list[MetricLink]:
            goal.add_key_result(
                key_result_id=key_result_id, title=title, kind=kind, start=start, target=target, unit=unit,
                weight=weight, actor=actor.id,
            )
            return [] if metric_key is None else self._linked(goal, key_result_id, metric_key, actor)

        return self._define(actor, goal_id, add), key_result_id

    def link_metric(self, actor: Actor, goal_id: str, key_result_id: str, metric_key: str | None) -> Stored:
        """Links a key result to the metric integrations measure (None: unlinks it); a metric
        key feeds one key result in the whole installation (CONFLICT if it feeds another)."""
        return self._define(actor, goal_id, lambda g: self._linked(g, key_result_id, metric_key, actor))

    def _linked(self, goal: Goal, key_result_id: str, metric_key: str | None, actor: Actor) -> list[MetricLink]:
        """The metric links the change of `key_result_id`'s metric changes, saved with the goal."""
        before = goal.metric_of(key_result_id)
        if not goal.link_metric(key_result_id, metric_key=metric_key, actor=actor.id):
            return []
        changed = []
        old = None if before is None else self.app.find(MetricLink, metric_link_uuid(before))
        if old is not None and old.feeds(str(goal.id), key_result_id):
            old.release(actor=actor.id)
            changed.append(old)
        if metric_key is not None:
            link = self.app.find(MetricLink, metric_link_uuid(metric_key))
            if link is None:
                link = MetricLink.claim(key=metric_key, goal_id=str(goal.id), key_result_id=key_result_id,
                                        actor=actor.id)
            else:
                link.relink(goal_id=str(goal.id), key_result_id=key_result_id, actor=actor.id)
            changed.append(link)
        return changed

    # --- the proposal dialogue ---------------------------------------------------------

    def propose_goal(self, actor: Actor, goal_id: str, comment: str = "") -> Stored:
        return self._change(
            actor, goal_id, _editor, lambda g: g.propose(actor=actor.id, comment=comment)
        )

    def propose_goal_change(
        self, actor: Actor, goal_id: str, changes: dict[str, Any], comment: str = ""
    ) -> Stored:
        return self._change(
            actor,
            goal_id,
            _editor,
            lambda g: g.propose_change(changes, actor=actor.id, comment=comment),
        )

    def approve_goal(self, actor: Actor, goal_id: str, comment: str = "") -> Stored:
        return self._change(
            actor, goal_id, _decider, lambda g: g.approve(actor=actor.id, comment=comment)
        )

    def reject_goal(self, actor: Actor, goal_id: str, reason: str) -> Stored:
        return self._change(
            actor, goal_id, _decider, lambda g: g.reject(reason=reason, actor=actor.id)
        )

    def request_goal_changes(self, actor: Actor, goal_id: str, comment: str) -> Stored:
        return self._change(
            actor, goal_id, _decider, lambda g: g.request_changes(comment=comment, actor=actor.id)
        )

    def complete_goal(self, actor: Actor, goal_id: str, reason: str = "") -> Stored:
        return self._change(
            actor, goal_id, _editor_or_decider, lambda g: g.complete(actor=actor.id, reason=reason)
        )

    def abandon_goal(self, actor: Actor, goal_id: str, reason: str = "") -> Stored:
        return self._change(
            actor, goal_id, _editor_or_decider, lambda g: g.abandon(actor=actor.id, reason=reason)
        )

    # --- progress ----------------------------------------------------------------------

    def revise_target(
        self, actor: Actor, goal_id: str, key_result_id: str, *, target: float, reason: str
    ) -> Stored:
        return self._change(
            actor,
            goal_id,
            _editor_or_decider,
            lambda g: g.revise_target(key_result_id, target=target, reason=reason, actor=actor.id),
        )

    def check_in_key_result(
        self, actor: Actor, goal_id: str, key_result_id: str, *, value: float, confidence: int | None = None,
        note: str = "", blockers: str = "",
    ) -> Stored:
        def check_in(goal: Goal) -> None:
            goal.check_in_key_result(
                key_result_id, value=value, confidence=confidence, note=note, blockers=blockers, actor=actor.id
            )

        return self._change(actor, goal_id, _editor, check_in)

    def record_check_in(
        self, actor: Actor, goal_id: str, *, progress: float, confidence: int | None = None, note: str = "",
        blockers: str = "",
    ) -> Stored:
        def check_in(goal: Goal) -> None:
            goal.record_check_in(progress=progress, confidence=confidence, note=note, blockers=blockers, actor=actor.id)

        return self._change(actor, goal_id, _editor, check_in)

    # --- helpers -----------------------------------------------------------------------

    def owner_of(self, goal: Goal) -> Owner:
        if goal.owner_kind == "team":
            return self._team_owner(goal.owner_id, self.directory.find_team(goal.owner_id))
        return PersonOwner(goal.owner_id, self.directory.find_person)

    def _owner(self, actor: Actor, kind: str, owner_id: str) -> OwnerFacts:
        """The owner's facts; an unregistered person may own goals only they themselves create."""
        if kind == "team":
            team = self.directory.find_team(owner_id)
            if team is None or not team.active:
                raise ValidationError(f"team {owner_id!r} is not an active team", field="ownerId")
            return self._team_owner(owner_id, team)
        if kind != "person":
            raise ValidationError("ownerKind must be person or team", field="ownerKind")
        person = self.directory.find_person(owner_id)
        facts = _person_owner(owner_id, person)
        if not (may_edit(actor, facts) or may_decide(actor, facts)):
            raise ForbiddenError(
                "only the owner, their manager or an admin may give a goal to this owner"
            )
        if person is None and owner_id != actor.id:
            raise ValidationError(f"person {owner_id!r} is not registered", field="ownerId")
        if person is not None and not person.active:
            raise ValidationError(f"person {owner_id!r} is deactivated", field="ownerId")
        return facts

    def _team_owner(self, team_id: str, team: Team | None) -> OwnerFacts:
        """A team acts through its lead; the lead's manager decides."""
        lead = None if team is None else team.lead_id
        manager = None if lead is None else getattr(self.directory.find_person(lead), "manager_id", None)
        return OwnerFacts("team", team_id, lead_id=lead, manager_id=manager, team_id=None if team is None else team_id)

    def visible_goal(self, actor: Actor, goal_id: str, field: str) -> Goal:
        """A goal that a command names as a reference (a parent, the goal feedback is about):
        one the actor may not see is not found, exactly as an id that does not exist."""
        return self.app.get(Goal, goal_id, field=field, visible=lambda goal: self.sees_goal(actor, goal))

    def sees_goal(self, actor: Actor, goal: Goal, owner: Owner | None = None) -> bool:
        owner = owner or self.owner_of(goal)
        if sees_whoever_owns(actor, goal.visibility, owner):
            return True
        team = self._team_of(actor.id) if goal.visibility == "team" else None  # only team goals ask
        return may_see(actor, team, goal.visibility, owner)

    def _team_of(self, person_id: str) -> str | None:
        person = self.directory.find_person(person_id)
        return None if person is None else person.team_id

    def _ancestry(self, actor: Actor, parent_id: str) -> list[Goal]:
        """The parent (which the actor must see), then its parent, and so on up to a root."""
        chain = [self.visible_goal(actor, parent_id, "parentId")]
        while chain[-1].parent_id is not None and len(chain) < MAX_DEPTH:
            chain.append(self.get_goal(chain[-1].parent_id))
        return chain

    def _change(
        self,
        actor: Actor,
        goal_id: str,
        authorize: Callable[[Actor, Owner, Goal], None],
        change: Callable[[Goal], Sequence[Aggregate] | None],
    ) -> Stored:
        owners: dict[tuple[str, str], Owner] = {}
        cycles: dict[str, Cycle] = {}

        def look_up(goal: Goal) -> tuple[Owner, Cycle | None]:
            """The owner and the cycle, read once per command, so that retries race briefly (a
            person owner's directory facts when a rule first needs them)."""
            key = (goal.owner_kind, goal.owner_id)
            if key not in owners:
                owners[key] = self.owner_of(goal)
            if goal.cycle_id is not None and goal.cycle_id not in cycles:
                cycles[goal.cycle_id] = self.cycles.get_cycle(goal.cycle_id)
            return owners[key], None if goal.cycle_id is None else cycles[goal.cycle_id]

        def checked(goal: Goal) -> Sequence[Aggregate] | None:
            owner, cycle = look_up(goal)
            if not self.sees_goal(actor, goal, owner):
                raise not_found(Goal, goal.id)
            authorize(actor, owner, goal)
            if cycle is not None:
                cycle.require_open()
            return change(goal)

        goal = self.app.get(Goal, goal_id, unread=True)
        with suppress(DomainError):  # raised again where it counts, in the update's attempt
            look_up(goal)
        return self.app.update(Goal, goal_id, checked, just_read=goal, unread=True)

    def _define(self, actor: Actor, goal_id: str, change: Callable[[Goal], Sequence[Aggregate] | None]) -> Stored:
        return self._change(actor, goal_id, _definer, change)


class PersonOwner:
    """A person owning a goal, whose manager and team are read from the directory when a rule
    first asks for them, once: a rule decided by who is asking (the owner, an admin, anyone for
    a public goal) reads nothing, and a person registered since is found when one does."""

    kind = "person"

    def __init__(self, person_id: str, find_person: Callable[[str], Person | None]) -> None:
        self.id = person_id
        self._find_person = find_person

    @property
    def acting_person(self) -> str:
        return self.id

    @cached_property
    def _facts(self) -> OwnerFacts:
        return _person_owner(self.id, self._find_person(self.id))

    @property
    def manager_id(self) -> str | None:
        return self._facts.manager_id

    @property
    def team_id(self) -> str | None:
        return self._facts.team_id


def _person_owner(person_id: str, person: Person | None) -> OwnerFacts:
    if person is None:
        return OwnerFacts("person", person_id)
    return OwnerFacts("person", person_id, manager_id=person.manager_id, team_id=person.team_id)


def _editor(actor: Actor, owner: Owner, _: Goal) -> None:
    require_editor(actor, owner)


def _decider(actor: Actor, owner: Owner, _: Goal) -> None:
    require_decider(actor, owner)


def _definer(actor: Actor, owner: Owner, goal: Goal) -> None:
    """The owner shapes a draft; once proposed, only their manager or an admin edits directly."""
    if may_decide(actor, owner) or (may_edit(actor, owner) and goal.status == "draft"):
        return
    if may_edit(actor, owner):
        raise ForbiddenError(f"the goal is {goal.status}: propose the change to your manager")
    raise ForbiddenError("only the goal's owner or an admin may change it")


def _editor_or_decider(actor: Actor, owner: Owner, _: Goal) -> None:
    if not (may_edit(actor, owner) or may_decide(actor, owner)):
        raise ForbiddenError("only the goal's owner, their manager or an admin may do this")
