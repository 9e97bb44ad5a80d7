"""Erasure of a person: their data key is forgotten, so every sealed field of theirs (in the event
store, the topic, any copy) is unreadable; the read models' clear copies are redacted in the same
transaction, under the projector's partition locks, so no batch in flight can write them back.

A goal's read models (its row, key results, history and timeline) are re-projected from its
stored events, opened without the erased key, up to the version each had reached: exactly what
a rebuild gives, whoever's key sealed which event (a goal may have changed owner)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import psycopg
from eventsourcing.persistence import Notification
from psycopg import Cursor
from psycopg.sql import SQL, Identifier

from application.momentum import Momentum
from consumers.readable import opened
from consumers.relay import published_envelope
from contracts.upcasting import upcast
from eventstore.keys import create_key_table, erase_key
from projections import notices
from projections.erasure import forget_goals, projected_versions, redact_person
from projections.readmodel import ReadModel


def erase_person(
    conn: psycopg.Connection[Any], topic: str, person_id: str, app: Momentum, source: str,
    read_models: Sequence[ReadModel],
) -> bool:
    create_key_table(conn)
    with conn.transaction():
        conn.execute("SELECT 1 FROM projector_positions WHERE topic = %s ORDER BY partition FOR UPDATE", (topic,))
        had_key = erase_key(conn, person_id)
        with conn.cursor() as cur:
            redact_person(cur, read_models, person_id)
            reproject_goals(cur, app, source, read_models, goals_sealed_for(cur, app, person_id))
            cur.execute("SELECT pg_notify(%s, %s)", (notices.ERASURES, person_id))  # sent at commit
    return had_key


def _events_table(app: Momentum) -> SQL | Any:
    recorder: Any = app.recorder
    return SQL("{}.{}").format(Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))


def goals_sealed_for(cur: Cursor[Any], app: Momentum, person_id: str) -> list[str]:
    """Every goal with an event sealed under the person's key (a scan of the goals' events)."""
    kid = '"kid":' + json.dumps(person_id, ensure_ascii=False)  # as the store's JSON transcoder writes it
    cur.execute(
        SQL("SELECT DISTINCT originator_id::text FROM {} WHERE topic LIKE 'domain.goal:Goal.%%' "
            "AND position(%s in convert_from(state, 'UTF8')) > 0 ORDER BY 1").format(_events_table(app)),
        (kid,),
    )
    return [goal for (goal,) in cur.fetchall()]


def reproject_goals(
    cur: Cursor[Any], app: Momentum, source: str, read_models: Sequence[ReadModel], goal_ids: list[str]
) -> None:
    if not goal_ids:
        return
    cur.execute(
        SQL("SELECT notification_id, originator_id, originator_version, topic, state FROM {} "
            "WHERE originator_id = ANY(%s::uuid[]) ORDER BY notification_id").format(_events_table(app)),
        (goal_ids,),
    )
    stored = [Notification(id=n, originator_id=i, originator_version=v, topic=t, state=bytes(s))
              for n, i, v, t, s in cur.fetchall()]
    events = opened(cur, [upcast(published_envelope(app, notification, source)) for notification in stored])
    for model in (m for m in read_models if m.goal_rows):
        reached = projected_versions(cur, model.goal_rows, goal_ids)
        forget_goals(cur, model.goal_rows, goal_ids)
        model.apply(cur, [e for e in events if e["aggregateversion"] <= reached.get(e["subject"], 0)])
