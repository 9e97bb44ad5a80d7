"""The chained recorder's one-statement append: each link is SHA-256(previous link + digest) as
contracts/chain.py computes it, within one save and across saves; a lost race stores nothing."""

from __future__ import annotations

import itertools

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError
from eventsourcing.postgres import PostgresApplicationRecorder

from application.momentum import Momentum
from contracts.chain import GENESIS, link
from domain.goal import Goal
from eventstore.chain_recorder import ChainedRecorder
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
