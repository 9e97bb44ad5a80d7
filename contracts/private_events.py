"""Which event fields are private, and whose key seals them. Register every private field here
before such events exist; add the read-model columns that hold it in clear to
projections/erasure.py (a goal's read models are re-projected at erasure instead). Erasing a
person shreds what was sealed under their key."""

from __future__ import annotations

from contracts.privacy import Data, register_private, register_private_state


def _private_goal_owner(data: Data) -> str | None:
    """A private goal of a person (v1): its description is sealed under its owner's key."""
    if data.get("visibility") == "private" and data.get("owner_kind", "person") == "person":
        return str(data["owner_id"]) if "owner_id" in data else None
    return None


def _named_in_event(data: Data) -> str | None:
    """A v2 goal event names whose key seals its text (domain/goal_events.py)."""
    owner = data.get("private_to")
    return None if owner is None else str(owner)


def _feedback_author(data: Data) -> str | None:
    """Feedback that is not public (private, or recipient + manager): sealed under its author's key."""
    return None if data.get("visibility") == "public" else str(data["author_id"])


def _requester(data: Data) -> str:
    """A feedback request is seen only by whoever asked and those asked."""
    return str(data["requester_id"])


# every text a goal's events carry; ids, times, numbers and choices (status, visibility, kind) stay clear
PROPOSED_TEXT = ("changes.title", "changes.description")
GOAL_TEXT = {
    "Created": ("title", "description"),
    "DetailsChanged": ("title", "description", "reason"),
    "Aligned": ("reason",),
    "OwnerChanged": ("reason",),
    "MovedToCycle": ("reason",),
    "Proposed": ("comment",),
    "ChangeProposed": (*PROPOSED_TEXT, "comment"),
    "Approved": (*PROPOSED_TEXT, "comment"),
    "Rejected": ("reason",),
    "ChangesRequested": ("comment",),
    "Completed": ("reason",),
    "Abandoned": ("reason",),
    "KeyResultAdded": ("title", "unit"),
    "TargetRevised": ("reason",),
    "KeyResultCheckedIn": ("note", "blockers"),
    "CheckInRecorded": ("note", "blockers"),
}

register_private("momentum.goal.Created.v1", ("description",), _private_goal_owner)
for name, fields in GOAL_TEXT.items():
    register_private(f"momentum.goal.{name}.v2", fields, _named_in_event)
register_private_state("domain.goal:Goal", {
    "title": "title",
    "description": "description",
    "pending_change.title": "pending_change",
    "pending_change.description": "pending_change",
})
register_private("momentum.feedback.Given.v1", ("text",), _feedback_author)
register_private("momentum.feedbackrequest.Requested.v1", ("question",), _requester)
