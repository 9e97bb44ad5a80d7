"""The chained recorder's one-statement append: each link is SHA-256(previous link + digest) as
contracts/chain.py computes it, within one save and across saves; a lost race stores nothing."""

from __future__ import annotations

import itertools
import threading

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError
from eventsourcing.postgres import PostgresApplicationRecorder

from application.identity import Actor
from application.momentum import Momentum
from contracts.chain import GENESIS, link
from contracts.chain import digest as chain_digest
from contracts.envelope import to_envelope
from domain.goal import Goal
from eventstore.chain_recorder import ChainedRecorder, Entry
from settings import Settings


def chain_rows(settings: Settings) -> list[tuple[str, int, str, str]]:
    with psycopg.connect(settings.database_url) as conn:
        return [(str(i), v, d, k) for i, v, d, k in conn.execute(
            "SELECT originator_id, originator_version, digest, link FROM momentum_event_chain "
            "ORDER BY originator_id, originator_version").fetchall()]


def test_links_chain_each_aggregate_within_one_save_and_across_saves(settings: Settings, momentum: Momentum) -> None:
    first, second = (Goal.create(title=f"Chained {n}", owner_id="ada", actor="ada") for n in range(2))
    for goal in (first, second):
        goal.record_check_in(progress=10, actor="ada")
    momentum.save(first, second)  # two aggregates of two events each, in one statement
    first.record_check_in(progress=20, actor="ada")
    momentum.save(first)
    rows = chain_rows(settings)
    assert [(i, v) for i, v, _, _ in rows] == sorted((str(g.id), v) for g, n in ((first, 3), (second, 2))
                                                      for v in range(1, n + 1))
    heads: dict[str, str] = {}
    for aggregate, _, event_digest, stored_link in rows:
        assert stored_link == link(heads.get(aggregate, GENESIS), event_digest)
        heads[aggregate] = stored_link


def test_a_racing_writer_of_the_same_version_stores_neither_event_nor_link(
    settings: Settings, momentum: Momentum
) -> None:
    goal = Goal.create(title="Raced", owner_id="ada", actor="ada")
    momentum.save(goal)
    winner, loser = momentum.goals.get_goal(str(goal.id)), momentum.goals.get_goal(str(goal.id))
    winner.record_check_in(progress=10, actor="ada")
    momentum.save(winner)
    loser.record_check_in(progress=99, actor="ada")
    with pytest.raises(IntegrityError):
        momentum.save(loser)
    with psycopg.connect(settings.database_url) as conn:
        assert conn.execute("SELECT count(*) FROM momentum_events").fetchone() == (2,)
    assert len(chain_rows(settings)) == 2


def test_the_recorder_selects_what_the_librarys_select_does_for_every_form(momentum: Momentum) -> None:
    """ChainedRecorder composes each form of the library's select once: the same rows, the same order."""
    goal = Goal.create(title="Read back", owner_id="ada", actor="ada")
    for progress in range(6):
        goal.record_check_in(progress=progress, actor="ada")
    momentum.save(goal)
    recorder = momentum.recorder
    assert isinstance(recorder, ChainedRecorder)
    for gt, lte, desc, limit in itertools.product((None, 2), (None, 5), (False, True), (None, 3)):
        ours = recorder.select_events(goal.id, gt=gt, lte=lte, desc=desc, limit=limit)
        library = PostgresApplicationRecorder.select_events(recorder, goal.id, gt=gt, lte=lte, desc=desc, limit=limit)
        assert [e.originator_version for e in ours] == [e.originator_version for e in library]
        assert ours == library and ours, (gt, lte, desc, limit)


def _entry(momentum: Momentum, goal: Goal) -> Entry:
    """A save of `goal`'s pending events as the application hands it to the recorder."""
    events = list(goal.collect_events())
    return Entry([momentum.mapper.to_stored_event(e) for e in events],
                 [chain_digest(to_envelope(e, 0, "")) for e in events])


def test_one_append_of_several_saves_stores_each_but_the_one_that_lost_its_race(
    settings: Settings, momentum: Momentum
) -> None:
    """Saves grouped in one statement: a collision rolls back that save alone (IntegrityError,
    nothing of it stored); the others are stored with ascending ids, and linked."""
    stored = Goal.create(title="Taken", owner_id="ada", actor="ada")
    momentum.save(stored)
    racer = momentum.goals.get_goal(str(stored.id))
    stored.record_check_in(progress=5, actor="ada")
    momentum.save(stored)
    racer.record_check_in(progress=6, actor="ada")  # version 2 again: collides
    first, last = (Goal.create(title=f"Grouped {n}", owner_id="ada", actor="ada") for n in range(2))
    first.record_check_in(progress=1, actor="ada")
    recorder = momentum.recorder
    assert isinstance(recorder, ChainedRecorder)
    outcomes = recorder.append_entries([_entry(momentum, first), _entry(momentum, racer), _entry(momentum, last)])
    assert isinstance(outcomes[1], IntegrityError)
    ids = [outcomes[0], outcomes[2]]
    assert all(isinstance(found, list) for found in ids)
    assert [len(found) for found in ids] == [2, 1] and outcomes[0] + outcomes[2] == sorted(outcomes[0] + outcomes[2])
    rows = chain_rows(settings)
    assert sorted((i, v) for i, v, _, _ in rows) == sorted(
        [(str(stored.id), 1), (str(stored.id), 2), (str(first.id), 1), (str(first.id), 2), (str(last.id), 1)])
    heads: dict[str, str] = {}
    for aggregate, _, event_digest, stored_link in rows:
        assert stored_link == link(heads.get(aggregate, GENESIS), event_digest)
        heads[aggregate] = stored_link
    assert [e.state for e in recorder.select_events(stored.id)] == [
        e.state for e in PostgresApplicationRecorder.select_events(recorder, stored.id)]
    assert momentum.goals.get_goal(str(stored.id)).progress == 5


def test_concurrent_saves_are_each_stored_once_in_commit_order(settings: Settings, momentum: Momentum) -> None:
    """Many threads saving at once (their saves grouped while an append runs): every event once,
    every link right, notification ids without a gap."""
    goals = [str(momentum.goals.create_goal(Actor("ada"), title=f"Busy {n}").aggregate_id) for n in range(12)]

    def check_ins(goal: str) -> None:
        for progress in range(10):
            momentum.goals.record_check_in(Actor("ada"), goal, progress=progress)

    threads = [threading.Thread(target=check_ins, args=(goal,)) for goal in goals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with psycopg.connect(settings.database_url) as conn:
        ids = [n for (n,) in conn.execute("SELECT notification_id FROM momentum_events ORDER BY 1").fetchall()]
    assert ids == list(range(ids[0], ids[0] + 12 * 11))
    rows = chain_rows(settings)
    assert len(rows) == 12 * 11
    heads: dict[str, str] = {}
    for aggregate, _, event_digest, stored_link in rows:
        assert stored_link == link(heads.get(aggregate, GENESIS), event_digest)
        heads[aggregate] = stored_link
    assert {momentum.goals.get_goal(goal).progress for goal in goals} == {9}
