"""Events → facts the gamification rules reward. Pure. A fact's key makes it idempotent:
one per event (a key result's first achievement, a goal's completion: one per goal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from contracts.envelope import Envelope
from projections.gamification import rules as r
from projections.gamification.rules import Fact
from projections.readmodel import Fold
from projections.views import evolved

GoalOwners = dict[str, tuple[str, str, int]]  # goal id → (owner kind, owner id, version)
# a key result is achieved, a goal completed, once: to whoever owned the goal then, never again
# to a later owner (their facts share the key but not the person)
ONCE = frozenset({r.KEY_RESULT_ACHIEVED, r.GOAL_COMPLETED})


def name_of(e: Envelope) -> str:
    aggregate, name = str(e["type"]).split(".")[1:3]
    return f"{aggregate}.{name}"


def track_owner(owners: GoalOwners, e: Envelope) -> bool:
    """Follow each goal's owner, in the goal's own order; True when the owner changed."""
    name, goal = name_of(e), e["subject"]
    if name not in ("goal.Created", "goal.OwnerChanged"):
        return False
    if goal in owners and owners[goal][2] >= e["aggregateversion"]:
        return False
    owners[goal] = (e["data"]["owner_kind"], e["data"]["owner_id"], e["aggregateversion"])
    return True


def facts_of(e: Envelope, owners: GoalOwners) -> list[Fact]:
    name, d, at = name_of(e), e["data"], datetime.fromisoformat(e["time"])

    def fact(person: str | None, kind: str, key: str | None = None, amount: int = 0) -> list[Fact]:
        if not person:
            return []
        return [Fact(key or f"{e['subject']}/{e['aggregateversion']}", person, kind, at, amount, e["sequence"])]

    kind, owner = owners.get(e["subject"], ("", "", 0))[:2]
    person_owner = owner if kind == "person" else None
    if name in ("goal.CheckInRecorded", "goal.KeyResultCheckedIn"):
        found = fact(e["actor"], r.CHECK_IN)
        if name == "goal.KeyResultCheckedIn" and float(d["progress"]) >= 100:
            found += fact(person_owner, r.KEY_RESULT_ACHIEVED, f"{e['subject']}/kr/{d['key_result_id']}")
        return found
    if name == "goal.Completed":
        return fact(person_owner, r.GOAL_COMPLETED, f"{e['subject']}/completed")
    if name == "feedback.Given":
        upward = fact(d["author_id"], r.FEEDBACK_UPWARD) if d["direction"] == "upward" else []
        return fact(d["author_id"], r.FEEDBACK_GIVEN) + upward
    if name == "recognition.KudosGiven":
        total = d["points"] * len(d["recipient_ids"])
        received = [f for p in d["recipient_ids"] for f in fact(p, r.KUDOS_RECEIVED, amount=d["points"])]
        return fact(d["giver_id"], r.KUDOS_GIVEN, amount=total) + received
    return []


def awarded_once(facts: list[Fact]) -> list[Fact]:
    """`facts` in order, without a second fact of a kind in ONCE for the same key (the one
    stored before is kept out by the insert: GamificationProjection)."""
    seen, kept = set(), []
    for fact in facts:
        if fact.kind in ONCE:
            if (fact.event_id, fact.kind) in seen:
                continue
            seen.add((fact.event_id, fact.kind))
        kept.append(fact)
    return kept


@dataclass(frozen=True)
class AchievementView:
    aggregate_id: str
    person_id: str
    badges: dict[str, Any]  # badge id → earned at
    level: int
    version: int
    last_sequence: int


ACHIEVEMENTS = Fold(
    "achievements",
    {
        "Started": lambda _, e: AchievementView(e["subject"], e["data"]["person_id"], {}, 0, 0, 0),
        "BadgeAwarded": lambda v, e: evolved(v, badges={**v.badges, e["data"]["badge"]: e["data"]["earned_at"]}),
        "BadgeWithdrawn": lambda v, e: evolved(
            v, badges={k: t for k, t in v.badges.items() if k != e["data"]["badge"]}
        ),
        "LevelReached": lambda v, e: evolved(v, level=e["data"]["level"]),
    },
)
