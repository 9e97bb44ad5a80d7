"""What keeps the relay's hops short: it tells the projectors each time it records its tail (a
projector that has read past the last recorded tail waits for that notice instead of polling again
blindly), and its producer retries a refused AddPartitionsToTxn soon."""

from __future__ import annotations

from pathlib import Path

from bootstrap import build_momentum, connector, prepare_read_models
from consumers.relay import Relay
from projections import notices
from settings import Settings
from tests.integration.test_projector_positions import publish_through_the_relay, store_check_ins


def test_the_relay_notifies_each_recorded_tail_with_its_topic(settings: Settings, log_dir: Path) -> None:
    prepare_read_models(settings)
    app = build_momentum(settings)
    try:
        store_check_ins(app, goals=2, check_ins=2)
    finally:
        app.close()
    with connector(settings)() as listening, connector(settings)() as conn:
        listening.autocommit = conn.autocommit = True
        listening.execute(f'LISTEN "{notices.RELAY_TAIL}"')
        publish_through_the_relay(settings, log_dir, conn)
        heard = [n.payload for n in listening.notifies(timeout=10, stop_after=1) if n.channel == notices.RELAY_TAIL]
    assert heard and set(heard) == {settings.kafka_topic}


def test_a_transaction_refused_while_the_last_one_completes_is_retried_after_20_ms(settings: Settings) -> None:
    """kafka-python's sender sleeps the producer's retry_backoff_ms (default 100) before retrying
    AddPartitionsToTxn refused with CONCURRENT_TRANSACTIONS: up to a fifth of back-to-back relay
    transactions took over 100 ms (docs/performance.md, "Freshness, 2026-12-03")."""
    app = build_momentum(settings)
    try:
        producer = Relay(settings, app, connector(settings))._producer()
        try:
            assert producer.config["retry_backoff_ms"] == 20
        finally:
            producer.close(timeout=2)
    finally:
        app.close()
