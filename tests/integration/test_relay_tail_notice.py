"""The relay tells the projectors each time it records its tail, so a projector that has read past
the last recorded tail waits for that notice instead of polling again blindly."""

from __future__ import annotations

from pathlib import Path

from bootstrap import build_momentum, connector, prepare_read_models
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
