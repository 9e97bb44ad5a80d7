"""Which event fields are private, and whose key seals them. Register every private field here
(feedback: the content of private feedback, under the author's key) before such events exist."""

from __future__ import annotations

from application.privacy import Data, register_private


def _private_goal_owner(data: Data) -> str | None:
    """A private goal of a person: its description is sealed under its owner's key."""
    if data.get("visibility") == "private" and data.get("owner_kind", "person") == "person":
        return str(data["owner_id"]) if "owner_id" in data else None
    return None


register_private("momentum.goal.Created.v1", ("description",), _private_goal_owner)
