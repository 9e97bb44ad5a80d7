"""After `momentum people erase`, none of the person's private text is left in clear anywhere: a
marker put in every private field they wrote is searched for in the raw bytes of every topic
record (aborted ones included), every row of every table of the database (the event store, its
snapshots and chain, every read model), and the hash chains verify before and after."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import psycopg
from psycopg.sql import SQL, Identifier

from settings import Settings
from tests.e2e.client import GraphQL, build_feedback_org, mutate
from tests.stack import Process, run_cli, scalar, topic_records

SNAPSHOT_INTERVAL = 100  # application/momentum.py: goals are snapshotted every 100 versions


def marked(mark: str, field: str) -> str:
    return f"{field} {mark}"


def private_goal_history(ada: GraphQL, maya: GraphQL, mark: str, cycle: str) -> int:
    """A private goal of ada's through every event type that carries text; the last sequence."""
    def text(field: str) -> str:
        return marked(mark, field)

    parent = ada.create_goal(text("parent title"), description=text("parent description"), visibility="PRIVATE")
    goal = ada.create_goal(text("title"), description=text("description"), visibility="PRIVATE")
    g = goal["goalId"]
    mutate(ada, "editGoal", goalId=g, description=text("edited description"), reason=text("edit reason"))
    mutate(ada, "changeGoalTitle", goalId=g, title=text("new title"), reason=text("title reason"))
    mutate(ada, "alignGoal", goalId=g, parentId=parent["goalId"], reason=text("align reason"))
    kr = mutate(ada, "addKeyResult", goalId=g, title=text("kr title"), kind="INCREASE_TO", target=10,
                unit=text("unit")[:40])["keyResultId"]
    mutate(ada, "reviseKeyResultTarget", goalId=g, keyResultId=kr, target=20, reason=text("revise reason"))
    mutate(ada, "checkInKeyResult", goalId=g, keyResultId=kr, value=3, note=text("kr note"),
           blockers=text("kr blockers"))
    mutate(ada, "recordCheckIn", goalId=g, progress=10, note=text("note"), blockers=text("blockers"))
    mutate(ada, "moveGoalToCycle", goalId=g, cycleId=cycle, reason=text("move reason"))
    mutate(ada, "proposeGoal", goalId=g, comment=text("propose comment"))
    mutate(maya, "requestGoalChanges", goalId=g, comment=text("request comment"))
    mutate(ada, "proposeGoal", goalId=g, comment=text("second proposal"))
    mutate(maya, "rejectGoal", goalId=g, reason=text("reject reason"))
    mutate(ada, "proposeGoal", goalId=g, comment=text("third proposal"))
    mutate(maya, "approveGoal", goalId=g, comment=text("approve comment"))
    mutate(ada, "proposeGoalChange", goalId=g, title=text("proposed title"), description=text("proposed text"),
           comment=text("change comment"))
    mutate(maya, "approveGoal", goalId=g, comment=text("change approved"))
    mutate(maya, "completeGoal", goalId=g, reason=text("complete reason"))
    mutate(maya, "abandonGoal", goalId=parent["goalId"], reason=text("abandon reason"))
    return snapshotted_goal(ada, maya, text)


def snapshotted_goal(ada: GraphQL, maya: GraphQL, text: Any) -> int:
    """A private goal past a snapshot, with a proposed change pending in it."""
    goal = ada.create_goal(text("long title"), description=text("long description"), visibility="PRIVATE")
    g = goal["goalId"]
    mutate(ada, "proposeGoal", goalId=g)
    version = mutate(maya, "approveGoal", goalId=g)["version"]
    while version < SNAPSHOT_INTERVAL - 1:
        version = ada.check_in(g, 50)["version"]
    pending = mutate(ada, "proposeGoalChange", goalId=g, title=text("pending title"),
                     description=text("pending description"))
    assert pending["version"] == SNAPSHOT_INTERVAL
    return int(ada.check_in(g, 60)["sequence"])


def hits_in_database(settings: Settings, mark: str) -> dict[str, int]:
    """Rows holding the marker in clear, by table: every table, every column, bytes decoded."""
    needle = mark.encode()
    found: dict[str, int] = {}
    with psycopg.connect(settings.database_url) as conn:
        tables = [t for (t,) in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")]
        assert {"momentum_events", "momentum_snapshots", "goals", "goal_timeline"} <= set(tables), tables
        for table in tables:
            rows = conn.execute(SQL("SELECT * FROM {}").format(Identifier(table))).fetchall()
            hits = sum(1 for row in rows if any(needle in _raw(value) for value in row))
            if hits:
                found[table] = hits
    return found


def _raw(value: Any) -> bytes:
    return bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()


def hits_in_topic(settings: Settings, mark: str) -> int:
    needle = mark.encode()
    records = topic_records(settings, isolation_level="read_uncommitted")
    assert records
    return sum(
        1 for r in records
        if needle in (r.value or b"") or needle in (r.key or b"") or any(needle in v for _, v in r.headers)
    )


def test_erasure_leaves_no_private_text_of_the_person_in_clear_anywhere(
    settings: Settings, pipeline: dict[str, Process]
) -> None:
    admin, ada, maya = GraphQL(settings, "root", ("admin",)), GraphQL(settings, "ada"), GraphQL(settings, "maya")
    build_feedback_org(admin)
    mark = f"zq{uuid4().hex}"
    cycle = mutate(admin, "createCycle", name="2027-Q1", startsOn="2027-01-01", endsOn="2027-03-31")["id"]
    last = private_goal_history(ada, maya, mark, cycle)
    mutate(ada, "giveFeedback", recipientId="bob", kind="CONSTRUCTIVE", visibility="PRIVATE",
           text=marked(mark, "feedback"))
    request = mutate(ada, "requestFeedback", respondentIds=["bob"], question=marked(mark, "question"))
    titles = "query($c: Int) { goals(first: 100, consistency: $c) { edges { node { title } } } }"
    shown = ada.data(titles, {"c": request["sequence"]})["goals"]["edges"]
    assert all(mark in e["node"]["title"] for e in shown) and len(shown) == 3  # projected, clear to ada
    assert scalar(settings, "SELECT count(*) FROM momentum_snapshots") >= 1 and last
    assert hits_in_topic(settings, mark) == 0  # sealed before it is stored: never in clear on the topic
    in_store = hits_in_database(settings, mark)
    assert not {"momentum_events", "momentum_snapshots"} & set(in_store), in_store
    verified = run_cli(settings, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr

    erased = run_cli(settings, "people", "erase", "ada")
    assert erased.returncode == 0, erased.stderr

    assert hits_in_topic(settings, mark) == 0
    assert hits_in_database(settings, mark) == {}  # the store, its snapshots and every read model
    verified = run_cli(settings, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    rebuilt = run_cli(settings, "projections", "verify")  # a rebuild from offset 0 equals the live read models
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
