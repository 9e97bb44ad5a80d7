"""Descriptions of the arguments and fields that recur across the schema, each written once.

Strawberry shows a description only when one is passed (a docstring is not one); schema.graphql
carries them to frontend tooling, and tools/schema-lint fails the build when one is missing."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.goal import MAX_WEIGHT
from domain.rules import TEXT_MAX, TITLE_MAX

MAX_PAGE = 100  # the most edges or items one page of a list may hold (the audit timelines allow more)

# The root types.
QUERY = (
    "Reads, served from the read models a moment after each write (see `consistency`); every read applies "
    "the visibility and privacy rules as the caller."
)
MUTATION = (
    "Commands: each stores events, or is refused with a typed error (`extensions.code`) and changes nothing; "
    "each returns the stored `sequence` for `consistency`."
)
SUBSCRIPTION = (
    "Live updates over the graphql-transport-ws protocol; each item is read as the subscriber, so nothing "
    "they may not see is sent."
)

# Arguments of queries.
CONSISTENCY = (
    "Read your own write: a `sequence` a mutation returned. The query first waits until the read "
    "models include it (up to MOMENTUM_CONSISTENCY_WAIT_MS, 5 s by default; UNAVAILABLE after that). "
    "Null reads what the read models hold now."
)
AFTER = (
    "Forward pagination: the `cursor` of the last edge you hold (`pageInfo.endCursor`); the page "
    "starts just after it. Null starts at the beginning. A cursor of another field is refused "
    "with VALIDATION."
)
BEFORE_SEQUENCE = (
    "Only items older than this sequence (the `givenSequence` of feedback, the `sequence` of kudos: "
    "the last one you hold); null starts at the newest."
)
SEQUENCE_AFTER = (
    "Deliver what was stored after this sequence (a `givenSequence`, `requestedSequence`, kudos "
    "`sequence` or mutation `sequence` you hold), so nothing is missed between a query and the "
    "subscription; null starts when you subscribe. VALIDATION if negative."
)
GOAL_ID = (
    "A goal's id (a UUID). A goal you may not see answers exactly as one that does not exist."
)
PERSON_ID = "A person's id: the `sub` of their tokens."
TEAM_ID = "A team's id, as the directory (HR import or registerTeam) gave it."
CYCLE_ID = "A cycle's id (a UUID), as createCycle returned it."


def first_of(most: int) -> str:
    return f"How many to return, from 0 to {most} (VALIDATION outside that range)."


Consistency = Annotated[int | None, strawberry.argument(description=CONSISTENCY)]
First = Annotated[int, strawberry.argument(description=first_of(MAX_PAGE))]
After = Annotated[str | None, strawberry.argument(description=AFTER)]
BeforeSequence = Annotated[int | None, strawberry.argument(description=BEFORE_SEQUENCE)]
SequenceAfter = Annotated[int | None, strawberry.argument(description=SEQUENCE_AFTER)]
GoalId = Annotated[strawberry.ID, strawberry.argument(description=GOAL_ID)]
PersonId = Annotated[strawberry.ID, strawberry.argument(description=PERSON_ID)]
CycleId = Annotated[strawberry.ID, strawberry.argument(description=CYCLE_ID)]

# Fields of inputs and outputs.
VERSION = "The aggregate's version after its last change: 1 when created, one more per event."
CHANGE_VERSION = "The goal's version after this event: its place in the goal's own history."
SEQUENCE = (
    "Global position (in the event store) of the event that last changed this; pass it as "
    "`consistency` to read at least this state."
)
WRITE_SEQUENCE = (
    "Global position of the stored event: pass it as `consistency` to read your write. Null when "
    "the command stored nothing (it changed nothing)."
)
EVENT_SEQUENCE = "Global position of the event that recorded this, in the event store."
ACTOR = "The person who did it: their id (the token's `sub`); for a command run by the system, empty."
ACTIVE = "False once deactivated; deactivated people and teams stay in the directory for history."
ID = "Stable identifier; pass it to the queries and mutations that take this object's id."
REASON = f"Why, kept with the event in the history (up to {TEXT_MAX} characters; may be empty)."
REQUIRED_REASON = f"Why (required, up to {TEXT_MAX} characters); kept with the event in the history."
COMMENT = f"A comment for the other side of the dialogue (up to {TEXT_MAX} characters; may be empty)."
TITLE = f"Required: 1 to {TITLE_MAX} characters once surrounding spaces are trimmed."
TEXT = f"Free text, up to {TEXT_MAX} characters."
GOAL_DESCRIPTION = (
    f"What the goal is about, up to {TEXT_MAX} characters. On a private goal only those who may see the "
    "goal read it."
)
GOAL_TO_CHANGE = "The goal to act on: its id (a UUID)."
KEY_RESULT_ID = "A key result's id, as addKeyResult returned it (`keyResultId`)."
CONFIDENCE = (
    "How confident the owner is of reaching the goal, a whole number from 0 (not at all) to 10 (certain), "
    "kept apart from progress; null when not given."
)
NOTE = f"What happened since the last check-in (up to {TEXT_MAX} characters; may be empty)."
BLOCKERS = f"What stands in the way (up to {TEXT_MAX} characters; may be empty)."
WEIGHT = f"Weight in the weighted roll-up of the parent, from 0 (does not count) to {MAX_WEIGHT:g}; 1 by default."
PROGRESS = "Progress in percent, from 0 to 100."
START = "The value the key result starts from (0 and 1 for a milestone: not done, done)."
TARGET = "The value to reach (or stay above or below); a milestone's target is 1 (done)."
UNIT = "Unit of start, target and values, shown to people (e.g. `%`, `EUR`, `signups`); may be empty."
METRIC_KEY = (
    "The metric integrations measure for this key result: 1 to 100 letters, digits or `. _ : / -`, starting with "
    "a letter or digit; it feeds one key result in the whole installation."
)
MEASURED_VALUE = "Finite, within ±10¹⁵; a milestone takes 1 (done) or 0."
VISIBILITY = "Who may see the goal."
OWNER_KIND = "Whether the owner is a person or a team."
OWNER_ID = "The owner's id: a person id, or a team id when ownerKind is TEAM."
ROLLS_UP = "Whether the progress of aligned children counts in this goal's progress (weighted)."
PARENT_ID = "The goal this one is aligned under, in the same cycle; null when not aligned."
GOAL_CYCLE = "The cycle the goal belongs to, fixed at creation; null for an untimed goal."
AT = "When the event was stored (UTC)."
DATE = "A calendar date (ISO 8601, e.g. 2027-03-31) in the cycle's time zone."
PERIOD = "A period: `2027-W09` (ISO week), `2027-03` (month), `2027-Q1`, `2027`, or `all`."
POINTS = "Points, a whole number (0 or more)."
EDGES = "The edges of this page, in the list's order; empty when nothing is left."
PAGE_INFO = "Whether there are pages before and after this one, and the cursors to fetch them."
CURSOR = "Opaque cursor of this edge: pass it as `after` to get the edges that follow it."
NODE = "The item."
INPUT = strawberry.argument(description="The command's fields; the input type says what each one accepts.")
