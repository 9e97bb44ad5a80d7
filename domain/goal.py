"""The Goal aggregate: an objective with key results, alignment, a lifecycle, check-ins and
the proposal dialogue between its owner and their manager."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain import goal_events as v2
from domain import key_results as kr
from domain.cadence import DEFAULT_CADENCE, checked_cadence
from domain.errors import ConflictError, NotFoundError, ValidationError
from domain.integrations import metric_key as checked_metric_key
from domain.rules import (
    choice as _choice,
)
from domain.rules import (
    clean_text,
    free_text,
    identifier,
    name_text,
    number_between,
    whole_number_between,
)

OWNER_KINDS = ("person", "team")
VISIBILITIES = ("public", "team", "private")
STATUSES = ("draft", "proposed", "active", "completed", "abandoned")
OPEN = ("draft", "proposed", "active")
PROPOSABLE = ("title", "description", "visibility", "weight")
MAX_WEIGHT = 1000.0


def _weight(value: object) -> float:
    return number_between(value, "weight", 0, MAX_WEIGHT)


def _confidence(value: object) -> int | None:
    return None if value is None else whole_number_between(value, "confidence", 0, 10)


class Goal(Aggregate):
    """An objective owned by a person or a team, in a cycle, optionally aligned to a parent
    goal with a weight. Key-result events carry the progress (0–100) the domain computed;
    `Approved.changes` holds the proposed change it applies (empty when a goal is activated).

    Invariants are checked in the public command methods, before an event exists;
    the @event methods only apply facts, so replaying history never re-validates it.
    Rules that need other aggregates (who may act, the cycle, the parent's ancestry) take
    them as arguments from the application layer.

    Version 2 of the state adds `text_owners`: whose key seals each text attribute in a
    snapshot (the key of the event that set it, see domain/goal_events.py); version 3 adds
    `check_in_cadence` (weekly before it existed, as for a goal that never set one)."""

    class_version = 3
    Created, DetailsChanged, Aligned, OwnerChanged = v2.Created, v2.DetailsChanged, v2.Aligned, v2.OwnerChanged
    Proposed, ChangeProposed, Approved, Rejected = v2.Proposed, v2.ChangeProposed, v2.Approved, v2.Rejected
    ChangesRequested, Completed, Abandoned = v2.ChangesRequested, v2.Completed, v2.Abandoned
    KeyResultAdded, TargetRevised = v2.KeyResultAdded, v2.TargetRevised
    KeyResultCheckedIn, CheckInRecorded = v2.KeyResultCheckedIn, v2.CheckInRecorded
    MovedToCycle, CadenceChanged = v2.MovedToCycle, v2.CadenceChanged
    KeyResultMetricLinked = v2.KeyResultMetricLinked

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["text_owners"] = {}  # a v1 snapshot held its text in clear, as v1 events did

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        state["check_in_cadence"] = DEFAULT_CADENCE

    @classmethod
    def _create(cls, event_class: Any, **kwargs: Any) -> Any:
        kwargs["private_to"] = v2.private_to(kwargs["owner_kind"], kwargs["owner_id"], kwargs["visibility"])
        return super()._create(event_class, **kwargs)

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        """Every event names whose key seals its text (the goal's owner after it, when private)."""
        changes = kwargs.get("changes") or {}
        kwargs["private_to"] = v2.private_to(
            kwargs.get("owner_kind", self.owner_kind), kwargs.get("owner_id", self.owner_id),
            self.visibility, kwargs.get("visibility"), changes.get("visibility"),
        )
        super().trigger_event(event_class, **kwargs)

    @classmethod
    def create(
        cls,
        *,
        title: str,
        owner_id: str,
        actor: str,
        description: str = "",
        owner_kind: str = "person",
        visibility: str = "public",
        cycle_id: str | None = None,
        parent: Goal | None = None,
        weight: float = 1.0,
        rolls_up: bool = False,
    ) -> Goal:
        if parent is not None and parent.cycle_id != cycle_id:
            raise ValidationError(
                "a goal can only align to a goal of its own cycle", field="parentId"
            )
        return cls(
            cycle_id=cycle_id,
            title=name_text(title, "title"),
            description=free_text(description, "description"),
            owner_kind=_choice(owner_kind, OWNER_KINDS, "ownerKind"),
            owner_id=identifier(owner_id, "ownerId"),
            parent_id=None if parent is None else str(parent.id),
            weight=_weight(weight),
            visibility=_choice(visibility, VISIBILITIES, "visibility"),
            rolls_up=bool(rolls_up),
            status="draft",
            actor=identifier(actor, "actor"),
        )

    @event(Created)
    def __init__(
        self,
        *,
        cycle_id: str | None,
        title: str,
        description: str,
        owner_kind: str,
        owner_id: str,
        parent_id: str | None,
        weight: float,
        visibility: str,
        rolls_up: bool,
        status: str,
        actor: str,
    ) -> None:
        self.cycle_id = cycle_id
        self.title = title
        self.description = description
        self.owner_kind = owner_kind
        self.owner_id = owner_id
        self.parent_id = parent_id
        self.weight = weight
        self.visibility = visibility
        self.rolls_up = rolls_up
        self.status = status
        self.progress = 0.0
        self.confidence: int | None = None
        self.check_in_count = 0
        self.key_results: dict[str, dict[str, Any]] = {}
        self.pending_change: dict[str, Any] | None = None
        self.text_owners: dict[str, str | None] = {}
        self.check_in_cadence = DEFAULT_CADENCE

    # --- details and alignment -------------------------------------------------------

    def require_open(self) -> None:
        if self.status not in OPEN:
            raise ConflictError(f"the goal is {self.status}; it accepts no changes")

    def edit(
        self,
        *,
        actor: str,
        title: str | None = None,
        description: str | None = None,
        visibility: str | None = None,
        rolls_up: bool | None = None,
        reason: str = "",
    ) -> None:
        self.require_open()
        details: dict[str, Any] = {
            "title": self.title
            if title is None
            else name_text(title, "title"),
            "description": self.description
            if description is None
            else free_text(description, "description"),
            "visibility": self.visibility
            if visibility is None
            else _choice(visibility, VISIBILITIES, "visibility"),
            "rolls_up": self.rolls_up if rolls_up is None else bool(rolls_up),
        }
        if details != {k: getattr(self, k) for k in details}:
            self._details_changed(**details, reason=free_text(reason, "reason"), actor=actor)

    def change_title(self, title: str, *, actor: str, reason: str = "") -> None:
        self.edit(title=title, actor=actor, reason=reason)

    @event(DetailsChanged)
    def _details_changed(
        self,
        *,
        title: str,
        description: str,
        visibility: str,
        rolls_up: bool,
        reason: str,
        actor: str,
    ) -> None:
        self.title, self.description, self.visibility, self.rolls_up = (
            title,
            description,
            visibility,
            rolls_up,
        )

    def align(
        self, ancestry: Sequence[Goal], *, weight: float, actor: str, reason: str = ""
    ) -> None:
        """`ancestry`: the new parent, then its ancestors, nearest first (empty: unalign)."""
        self.require_open()
        parent = ancestry[0] if ancestry else None
        if parent is not None and parent.cycle_id != self.cycle_id:
            raise ValidationError(
                "a goal can only align to a goal of its own cycle", field="parentId"
            )
        if any(goal.id == self.id for goal in ancestry):
            raise ValidationError(
                "a goal cannot align to itself or to its own descendant", field="parentId"
            )
        parent_id = None if parent is None else str(parent.id)
        new_weight = _weight(weight)
        if (parent_id, new_weight) != (self.parent_id, self.weight):
            self._aligned(
                parent_id=parent_id, weight=new_weight, reason=free_text(reason, "reason"), actor=actor
            )

    @event(Aligned)
    def _aligned(self, *, parent_id: str | None, weight: float, reason: str, actor: str) -> None:
        self.parent_id, self.weight = parent_id, weight

    def change_owner(self, *, owner_kind: str, owner_id: str, actor: str, reason: str = "") -> None:
        self.require_open()
        kind, owner = _choice(owner_kind, OWNER_KINDS, "ownerKind"), identifier(owner_id, "ownerId")
        if (kind, owner) != (self.owner_kind, self.owner_id):
            self._owner_changed(
                owner_kind=kind, owner_id=owner, reason=free_text(reason, "reason"), actor=actor
            )

    @event(OwnerChanged)
    def _owner_changed(self, *, owner_kind: str, owner_id: str, reason: str, actor: str) -> None:
        self.owner_kind, self.owner_id = owner_kind, owner_id

    def move_to_cycle(self, cycle_id: str, *, reason: str, actor: str) -> None:
        """Into another (open: the application checks it) cycle, leaving the parent of the old one."""
        self.require_open()
        target = identifier(cycle_id, "cycleId")
        if target == self.cycle_id:
            raise ValidationError("the goal is already in this cycle", field="cycleId")
        self._moved_to_cycle(
            cycle_id=target, previous_cycle_id=self.cycle_id, parent_id=None,
            reason=free_text(reason, "reason", required=True), actor=actor,
        )

    @event(MovedToCycle)
    def _moved_to_cycle(
        self, *, cycle_id: str, previous_cycle_id: str | None, parent_id: str | None, reason: str, actor: str
    ) -> None:
        self.cycle_id, self.parent_id = cycle_id, parent_id

    def set_cadence(self, cadence: str, *, actor: str) -> None:
        self.require_open()
        checked = checked_cadence(cadence)
        if checked != self.check_in_cadence:
            self._cadence_changed(cadence=checked, actor=actor)

    @event(CadenceChanged)
    def _cadence_changed(self, *, cadence: str, actor: str) -> None:
        self.check_in_cadence = cadence

    # --- lifecycle and the proposal dialogue -----------------------------------------

    def propose(self, *, actor: str, comment: str = "") -> None:
        if self.status != "draft":
            raise ConflictError(f"only a draft can be proposed; the goal is {self.status}")
        self._proposed(comment=free_text(comment, "comment"), actor=actor)

    @event(Proposed)
    def _proposed(self, *, comment: str, actor: str) -> None:
        self.status = "proposed"

    def propose_change(self, changes: dict[str, Any], *, actor: str, comment: str = "") -> None:
        if self.status != "active":
            raise ConflictError(
                f"changes are proposed for an active goal; the goal is {self.status}"
            )
        if self.pending_change is not None:
            raise ConflictError("a proposed change is already waiting for a decision")
        wanted = self._checked_changes(changes)
        if not wanted:
            raise ValidationError("the proposal changes nothing", field="changes")
        self._change_proposed(changes=wanted, comment=free_text(comment, "comment"), actor=actor)

    def _checked_changes(self, changes: dict[str, Any]) -> dict[str, Any]:
        unknown = set(changes) - set(PROPOSABLE)
        if unknown:
            raise ValidationError(
                f"only {PROPOSABLE} can be proposed, not {sorted(unknown)}", field="changes"
            )
        checks = {
            "title": lambda v: name_text(v, "title"),
            "description": lambda v: free_text(v, "description"),
            "visibility": lambda v: _choice(v, VISIBILITIES, "visibility"),
            "weight": _weight,
        }
        checked = {k: checks[k](v) for k, v in changes.items() if v is not None}
        return {k: v for k, v in checked.items() if v != getattr(self, k)}

    @event(ChangeProposed)
    def _change_proposed(self, *, changes: dict[str, Any], comment: str, actor: str) -> None:
        self.pending_change = changes

    def approve(self, *, actor: str, comment: str = "") -> None:
        """A draft or proposed goal becomes active; an active goal takes the proposed change."""
        if self.status in ("draft", "proposed"):
            changes: dict[str, Any] = {}
        elif self.status == "active" and self.pending_change is not None:
            changes = self.pending_change
        else:
            raise ConflictError(f"there is nothing to approve; the goal is {self.status}")
        self._approved(changes=changes, comment=free_text(comment, "comment"), actor=actor)

    @event(Approved)
    def _approved(self, *, changes: dict[str, Any], comment: str, actor: str) -> None:
        for name, value in changes.items():
            setattr(self, name, value)
        self.status = "active"
        self.pending_change = None

    def _require_decision_pending(self) -> None:
        if self.status != "proposed" and self.pending_change is None:
            raise ConflictError(f"there is no proposal to decide on; the goal is {self.status}")

    def reject(self, *, reason: str, actor: str) -> None:
        """A rejected goal returns to draft; a rejected change is dropped. The reason stays."""
        self._require_decision_pending()
        self._rejected(reason=free_text(reason, "reason", required=True), actor=actor)

    @event(Rejected)
    def _rejected(self, *, reason: str, actor: str) -> None:
        self._back_to_owner()

    def request_changes(self, *, comment: str, actor: str) -> None:
        self._require_decision_pending()
        self._changes_requested(comment=free_text(comment, "comment", required=True), actor=actor)

    @event(ChangesRequested)
    def _changes_requested(self, *, comment: str, actor: str) -> None:
        self._back_to_owner()

    def _back_to_owner(self) -> None:
        if self.status == "proposed":
            self.status = "draft"
        self.pending_change = None

    def complete(self, *, actor: str, reason: str = "") -> None:
        if self.status != "active":
            raise ConflictError(f"only an active goal can be completed; the goal is {self.status}")
        self._completed(reason=free_text(reason, "reason"), actor=actor)

    @event(Completed)
    def _completed(self, *, reason: str, actor: str) -> None:
        self.status = "completed"
        self.pending_change = None

    def abandon(self, *, actor: str, reason: str = "") -> None:
        self.require_open()
        self._abandoned(reason=free_text(reason, "reason"), actor=actor)

    @event(Abandoned)
    def _abandoned(self, *, reason: str, actor: str) -> None:
        self.status = "abandoned"
        self.pending_change = None

    # --- key results and check-ins ---------------------------------------------------

    def add_key_result(
        self,
        *,
        key_result_id: str,
        title: str,
        kind: str,
        start: float,
        target: float,
        actor: str,
        unit: str = "",
        weight: float = 1.0,
    ) -> None:
        self.require_open()
        checked_kind = kr.checked_kind(kind)
        low, high = kr.checked_range(checked_kind, start, target)
        if key_result_id in self.key_results:
            raise ConflictError(f"key result {key_result_id} already exists")
        self.trigger_event(
            self.KeyResultAdded,
            key_result_id=identifier(key_result_id, "keyResultId"),
            title=name_text(title, "title"),
            kind=checked_kind,
            start=low,
            target=high,
            unit=clean_text(unit, "unit", required=False, max_length=40),
            weight=_weight(weight),
            progress=kr.progress(checked_kind, low, high, low),
            actor=actor,
        )

    @event(KeyResultAdded)
    def _key_result_added(
        self, *, key_result_id: str, kind: str, start: float, target: float, weight: float, progress: float
    ) -> None:
        """Applies the event `add_key_result` triggers: of its fields, the ones the goal keeps."""
        self.key_results[key_result_id] = {
            "kind": kind,
            "start": start,
            "target": target,
            "value": start,
            "progress": progress,
            "weight": weight,
        }

    def _key_result(self, key_result_id: str) -> dict[str, Any]:
        try:
            return self.key_results[key_result_id]
        except KeyError:
            raise NotFoundError(f"key result {key_result_id} does not exist") from None

    def revise_target(self, key_result_id: str, *, target: float, reason: str, actor: str) -> None:
        self.require_open()
        result = self._key_result(key_result_id)
        if result["kind"] == "milestone":
            raise ValidationError("a milestone has no target to revise", field="target")
        _, new_target = kr.checked_range(result["kind"], result["start"], target)
        if new_target == result["target"]:
            raise ValidationError("the new target equals the current one", field="target")
        self._target_revised(
            key_result_id=key_result_id,
            previous_target=result["target"],
            target=new_target,
            progress=kr.progress(result["kind"], result["start"], new_target, result["value"]),
            reason=free_text(reason, "reason", required=True),
            actor=actor,
        )

    @event(TargetRevised)
    def _target_revised(
        self,
        *,
        key_result_id: str,
        previous_target: float,
        target: float,
        progress: float,
        reason: str,
        actor: str,
    ) -> None:
        self.key_results[key_result_id].update(target=target, progress=progress)

    def link_metric(self, key_result_id: str, *, metric_key: str | None, actor: str) -> bool:
        """Links the key result to `metric_key` (None: unlinks it); False when nothing changes."""
        self.require_open()
        result = self._key_result(key_result_id)
        metric_key = None if metric_key is None else checked_metric_key(metric_key)
        if result.get("metric_key") == metric_key:
            return False
        self._key_result_metric_linked(key_result_id=key_result_id, metric_key=metric_key, actor=actor)
        return True

    def metric_of(self, key_result_id: str) -> str | None:
        return self._key_result(key_result_id).get("metric_key")

    @event(KeyResultMetricLinked)
    def _key_result_metric_linked(self, *, key_result_id: str, metric_key: str | None, actor: str) -> None:
        self.key_results[key_result_id]["metric_key"] = metric_key

    def check_in_key_result(
        self,
        key_result_id: str,
        *,
        value: float,
        actor: str,
        confidence: int | None = None,
        note: str = "",
        blockers: str = "",
    ) -> None:
        self.require_open()
        result = self._key_result(key_result_id)
        checked = kr.checked_value(result["kind"], value)
        self._key_result_checked_in(
            key_result_id=key_result_id,
            value=checked,
            progress=kr.progress(result["kind"], result["start"], result["target"], checked),
            confidence=_confidence(confidence),
            note=free_text(note, "note"),
            blockers=free_text(blockers, "blockers"),
            actor=actor,
        )

    @event(KeyResultCheckedIn)
    def _key_result_checked_in(
        self,
        *,
        key_result_id: str,
        value: float,
        progress: float,
        confidence: int | None,
        note: str,
        blockers: str,
        actor: str,
    ) -> None:
        self.key_results[key_result_id].update(value=value, progress=progress)
        self.confidence = confidence
        self.check_in_count += 1

    def record_check_in(
        self,
        *,
        progress: float,
        actor: str,
        confidence: int | None = None,
        note: str = "",
        blockers: str = "",
    ) -> None:
        """A check-in on the goal itself; its progress counts when there is nothing to roll up."""
        checked_progress = number_between(progress, "progress", 0, 100)
        checked_confidence = _confidence(confidence)
        self.require_open()
        self._check_in_recorded(
            progress=checked_progress,
            confidence=checked_confidence,
            note=free_text(note, "note"),
            blockers=free_text(blockers, "blockers"),
            actor=actor,
        )

    @event(CheckInRecorded)
    def _check_in_recorded(
        self, *, progress: float, confidence: int | None, note: str, blockers: str, actor: str
    ) -> None:
        self.progress = progress
        self.confidence = confidence
        self.check_in_count += 1
