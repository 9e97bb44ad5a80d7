"""Who may see a feedback item: one rule for every read path (queries, nested fields,
subscriptions). Admins get no exception: private feedback is for its author and recipient
only, and "manager" feedback adds the recipient's manager at the time it was given.
(Requests are read only by their requester and respondents: feedback_reader.requests_of.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Row = Mapping[str, Any]

FEEDBACK_SQL = """(f.visibility = 'public' OR f.author_id = %(me)s OR f.recipient_id = %(me)s
    OR (f.visibility = 'manager' AND f.manager_id = %(me)s))"""


def may_see_feedback(viewer_id: str, feedback: Row) -> bool:
    """The same rule as FEEDBACK_SQL, for items pushed to subscribers."""
    return (
        feedback["visibility"] == "public"
        or viewer_id in (feedback["author_id"], feedback["recipient_id"])
        or (feedback["visibility"] == "manager" and feedback["manager_id"] == viewer_id)
    )


def concerns(viewer_id: str, item: Row) -> bool:
    """For `myFeedback`: feedback given to the viewer, or a request that asks the viewer."""
    if "recipient_id" in item:
        return item["recipient_id"] == viewer_id
    return viewer_id in item.get("respondents", {})
