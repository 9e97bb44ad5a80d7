"""Which event fields are private, and whose key seals them. Register every private field here
before such events exist; add the read-model columns that hold it in clear to
projections/erasure.py. Erasing a person shreds what was sealed under their key."""

from __future__ import annotations

from application.privacy import Data, register_private


def _private_goal_owner(data: Data) -> str | None:
    """A private goal of a person: its description is sealed under its owner's key."""
    if data.get("visibility") == "private" and data.get("owner_kind", "person") == "person":
        return str(data["owner_id"]) if "owner_id" in data else None
    return None


def _feedback_author(data: Data) -> str | None:
    """Feedback that is not public (private, or recipient + manager): sealed under its author's key."""
    return None if data.get("visibility") == "public" else str(data["author_id"])


def _requester(data: Data) -> str:
    """A feedback request is seen only by whoever asked and those asked."""
    return str(data["requester_id"])


register_private("momentum.goal.Created.v1", ("description",), _private_goal_owner)
register_private("momentum.feedback.Given.v1", ("text",), _feedback_author)
register_private("momentum.feedbackrequest.Requested.v1", ("question",), _requester)
