"""The websocket from outside: a socket that never sends connection_init is closed after the
wait, operations share the subject's rate limit, and every malformed frame gets a close frame
with the code docs/graphql.md gives for it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from api.auth import issue_token
from settings import Settings
from tests.e2e.conftest import api_with
from tests.e2e.ws import Subscriptions

BURST = 5
ME = {"query": "{ me { id } }"}
KUDOS_FEED = json.dumps({"id": "1", "type": "subscribe", "payload": {"query": "subscription { kudosFeed { id } }"}})


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    limits = {"ws_init_wait_ms": 500, "rate_limit_per_second": 0.01, "rate_limit_burst": BURST, "max_body_bytes": 4096}
    with api_with(Path(tmp_path_factory.mktemp("api")), **limits) as (fresh, _):
        yield fresh


def admitted(settings: Settings, subject: str) -> Subscriptions:
    socket = Subscriptions(settings, {"Authorization": f"Bearer {issue_token(settings, subject, [])}"})
    assert socket.receive() == {"type": "connection_ack"}
    return socket


def close_code(socket: Subscriptions, *frames: str | bytes) -> int | None:
    """The code of the close frame the server sends after `frames` (None: closed without one)."""
    with suppress(ConnectionClosed):
        for frame in frames:
            socket.ws.send(frame)
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            socket.receive(timeout=30)
    socket.close()
    return closed.value.rcvd.code if closed.value.rcvd is not None else None


def test_a_socket_without_connection_init_is_closed_after_the_wait(settings: Settings) -> None:
    assert close_code(Subscriptions(settings, init=False)) == 4408


def test_a_socket_asking_for_another_protocol_is_closed(settings: Settings) -> None:
    url = f"ws://{settings.api_host}:{settings.api_port}/graphql"
    for protocols in (["graphql-ws"], None):
        with connect(url, subprotocols=protocols, open_timeout=10) as ws, pytest.raises(ConnectionClosed) as closed:  # type: ignore[arg-type]
            ws.recv(timeout=30)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4406


def test_operations_on_a_socket_share_the_subjects_rate_limit(settings: Settings) -> None:
    socket = admitted(settings, "hammer")  # connecting took one token of the burst
    for number in range(BURST):
        socket.send({"id": str(number), "type": "subscribe", "payload": ME})
    answers = [socket.receive() for _ in range(2 * BURST)]
    refused = [a for a in answers if a["type"] == "next" and a["payload"]["data"] is None]
    assert [a["payload"]["errors"][0]["extensions"]["code"] for a in refused] == ["RATE_LIMITED"]
    assert len([a for a in answers if a["type"] == "next" and a["payload"]["data"]]) == BURST - 1
    socket.close()
    assert close_code(Subscriptions(settings, {"Authorization": f"Bearer {issue_token(settings, 'hammer', [])}"})) \
        == 4403  # a new socket of the same subject shares the bucket


INIT = None  # stands for this test's connection_init frame
MALFORMED: dict[str, tuple[object, ...]] = {
    "binary": (b"\x00\x01",),
    "not-json": ("{not json",),
    "json-list": ("[1]",),
    "json-number": ("42",),
    "json-null": ("null",),
    "json-string": ('"connection_init"',),
    "type-not-a-string": ('{"type": 5}',),
    "unknown-type": ('{"type": "launch"}',),
    "nested-too-deep": ("[" * 2000 + "]" * 2000,),
    "huge-frame": ('{"type": "ping", "payload": "' + "x" * 5000 + '"}',),
    "init-payload-list": ('{"type": "connection_init", "payload": [1]}',),
    "init-twice": (INIT, INIT),
    "subscribe-before-init": (json.dumps({"id": "1", "type": "subscribe", "payload": ME}),),
    "id-missing": (INIT, json.dumps({"type": "subscribe", "payload": ME})),
    "id-a-list": (INIT, json.dumps({"id": ["1"], "type": "subscribe", "payload": ME})),
    "id-a-number": (INIT, json.dumps({"id": 1, "type": "subscribe", "payload": ME})),
    "id-huge": (INIT, json.dumps({"id": "1" * 10_000, "type": "subscribe", "payload": ME})[:4000]),
    "id-too-long": (INIT, json.dumps({"id": "1" * 129, "type": "subscribe", "payload": ME})),
    "payload-a-list": (INIT, json.dumps({"id": "1", "type": "subscribe", "payload": [ME]})),
    "query-a-number": (INIT, json.dumps({"id": "1", "type": "subscribe", "payload": {"query": 5}})),
    "variables-a-list": (INIT, json.dumps({"id": "1", "type": "subscribe", "payload": {**ME, "variables": [1]}})),
    "operation-name-an-object": (INIT, json.dumps({"id": "1", "type": "subscribe",
                                                   "payload": {**ME, "operationName": {}}})),
    "complete-id-an-object": (INIT, json.dumps({"id": {"a": 1}, "type": "complete"})),
    "duplicate-id": (INIT, KUDOS_FEED, KUDOS_FEED),
}
CLOSE_CODES = {"huge-frame": 1009, "init-twice": 4429, "subscribe-before-init": 4401, "duplicate-id": 4409}


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_frame_gets_a_close_frame_with_its_code(settings: Settings, name: str) -> None:
    token = issue_token(settings, name, [])
    init = json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
    frames = [init if frame is INIT else frame for frame in MALFORMED[name]]
    socket = Subscriptions(settings, init=False)
    assert close_code(socket, *frames) == CLOSE_CODES.get(name, 4400)  # type: ignore[arg-type]
