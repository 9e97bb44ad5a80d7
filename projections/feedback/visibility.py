"""Who may see a feedback item: one rule for every read path (queries, nested fields,
subscriptions). Admins get no exception: private feedback is for its author and recipient
only, and "manager" feedback adds the recipient's manager at the time it was given.
(Requests are read only by their requester and respondents: feedback_reader.requests_of.)"""

from __future__ import annotations

from projections.sql import Row
from shared.visibility import may_see_feedback

__all__ = ["FEEDBACK_SQL", "concerns", "may_see_feedback"]

# The SQL form of shared.visibility.may_see_feedback, for read-model queries.
FEEDBACK_SQL = """(f.visibility = 'public' OR f.author_id = %(me)s OR f.recipient_id = %(me)s
    OR (f.visibility = 'manager' AND f.manager_id = %(me)s))"""


def concerns(viewer_id: str, item: Row) -> bool:
    """For `myFeedback`: feedback given to the viewer, or a request that asks the viewer."""
    if "recipient_id" in item:
        return item["recipient_id"] == viewer_id
    return viewer_id in item.get("respondents", {})
