"""A real API process configured with a JWKS URL accepts RS256/ES256 tokens from the identity
provider over HTTP and websockets, and refuses a token for another audience."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from settings import Settings
from tests.e2e.client import api_base
from tests.e2e.conftest import started_api
from tests.e2e.ws import Subscriptions
from tests.jwks import AUDIENCE, EC_KEY, ISSUER, jwks_server, signed
from tests.stack import drop_database, fresh_settings

ME = {"query": "{ me { id roles } }"}


@pytest.fixture
def provider_settings(log_dir: Path) -> Iterator[Settings]:
    with jwks_server() as url:
        settings = fresh_settings(jwt_jwks_url=url, jwt_issuer=ISSUER, jwt_audience=AUDIENCE)
        process = started_api(settings, log_dir)
        try:
            yield settings
        finally:
            process.stop()
            drop_database(settings)


def ask(settings: Settings, token: str) -> httpx.Response:
    url = f"{api_base(settings)}/graphql"
    return httpx.post(url, json=ME, headers={"Authorization": f"Bearer {token}"})


def test_provider_tokens_verify_through_the_jwks_url(provider_settings: Settings) -> None:
    assert ask(provider_settings, signed()).json() == {"data": {"me": {"id": "ada", "roles": ["admin"]}}}
    es256 = signed(EC_KEY, "ES256", "ec-1", sub="bob", roles=[])
    assert ask(provider_settings, es256).json() == {"data": {"me": {"id": "bob", "roles": []}}}
    refused = ask(provider_settings, signed(aud="another-api"))
    assert refused.status_code == 401 and refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    socket = Subscriptions(provider_settings, {"Authorization": f"Bearer {signed()}"})
    try:
        assert socket.receive() == {"type": "connection_ack"}
    finally:
        socket.close()
