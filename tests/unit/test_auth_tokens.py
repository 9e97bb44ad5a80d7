"""Production tokens: RS256/ES256 verified through a JWKS document served over HTTP on
127.0.0.1 (or a PEM key); issuer, audience and expiry checked; `alg: none` and, in
production, the HS256 development secret refused."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from api.auth import VERIFIED_FOR_S, VERIFIED_TOKENS, TokenVerifier, Unauthenticated, issue_token
from settings import Settings
from tests.jwks import AUDIENCE, EC_KEY, ISSUER, RSA_KEY, jwks_server, signed

OTHER_RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks_url() -> Iterator[str]:
    with jwks_server() as url:
        yield url


def production(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "env": "production",
        "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE,
        "jwt_secret": "a-real-secret-from-the-vault",
        "database_url": "postgresql://momentum:s3cret@db:5432/momentum",
        **overrides,
    }
    return Settings(**values)


def test_an_rs256_token_verifies_through_the_jwks_document(jwks_url: str) -> None:
    actor = TokenVerifier(production(jwt_jwks_url=jwks_url)).verify(signed())
    assert (actor.id, actor.is_admin) == ("ada", True)


def test_an_es256_token_verifies_through_the_jwks_document(jwks_url: str) -> None:
    actor = TokenVerifier(production(jwt_jwks_url=jwks_url)).verify(signed(EC_KEY, "ES256", "ec-1"))
    assert actor.id == "ada"


def test_an_rs256_token_verifies_with_a_pem_public_key() -> None:
    pem = RSA_KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert TokenVerifier(production(jwt_public_key=pem.decode())).verify(signed()).id == "ada"


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (lambda: jwt.encode({"sub": "ada", "iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 60},
                            None, algorithm="none"), "not accepted"),  # type: ignore[arg-type]
        (lambda: signed(iss="https://evil.example.test/"), "issuer"),
        (lambda: signed(aud="someone-else"), "audience"),
        (lambda: signed(exp=int(time.time()) - 30), "expired"),
        (lambda: signed(OTHER_RSA_KEY), "signature"),
        (lambda: signed(kid="unknown"), "signing key"),
        (lambda: issue_token(production(jwt_public_key="unused"), "ada", ["admin"]), "not accepted"),
    ],
    ids=["alg-none", "wrong-issuer", "wrong-audience", "expired", "wrong-key", "unknown-kid", "hs256-in-production"],
)
def test_a_bad_production_token_is_refused(jwks_url: str, token: Any, reason: str) -> None:
    with pytest.raises(Unauthenticated) as refused:
        TokenVerifier(production(jwt_jwks_url=jwks_url)).verify(token())
    assert reason in refused.value.message.lower()


def test_development_tokens_carry_and_must_match_the_configured_issuer_and_audience() -> None:
    settings = Settings(env="test", jwt_issuer=ISSUER, jwt_audience=AUDIENCE)
    assert TokenVerifier(settings).verify(issue_token(settings, "ada", [])).id == "ada"
    with pytest.raises(Unauthenticated):
        TokenVerifier(settings).verify(issue_token(Settings(env="test"), "ada", []))


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"jwt_jwks_url": "", "jwt_public_key": ""}, "MOMENTUM_JWT_JWKS_URL"),
        ({"jwt_issuer": ""}, "MOMENTUM_JWT_ISSUER"),
        ({"jwt_secret": "momentum-development-secret-change-me"}, "MOMENTUM_JWT_SECRET"),
        ({"database_url": "postgresql://momentum:momentum@db:5432/momentum"}, "development password"),
        ({"fault_injection": True}, "MOMENTUM_FAULT_INJECTION"),
        ({"clock": "2027-02-15T00:00:00Z"}, "MOMENTUM_CLOCK"),
    ],
)
def test_production_refuses_to_start_with_default_secrets(overrides: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        production(**{"jwt_jwks_url": "https://id.example.test/jwks.json", **overrides})


@pytest.mark.parametrize("claims", [
    {"exp": 10**400}, {"exp": -(10**400)}, {"exp": 1e300}, {"exp": "9999999999"}, {"exp": None},
    {"iat": 10**400}, {"iat": "now"}, {"nbf": -(10**400)},
    {"sub": "a\x00da"}, {"sub": "\ud800"}, {"sub": "a" * 257}, {"sub": " "},
    {"roles": ["\x00"]}, {"roles": [""]}, {"roles": ["r"] * 65}, {"roles": {"admin": True}},
], ids=str)
def test_claims_of_the_wrong_type_or_absurd_value_are_refused(claims: dict[str, Any]) -> None:
    settings = Settings(env="test")
    token = jwt.encode({"sub": "ada", "exp": int(time.time()) + 60, **claims}, settings.jwt_secret, "HS256")
    with pytest.raises(Unauthenticated):
        TokenVerifier(settings).verify(token)


def test_a_token_verified_once_is_not_verified_again_until_it_expires() -> None:
    settings = Settings(env="test")
    verifier, token = TokenVerifier(settings), issue_token(settings, "ada", [], ttl_seconds=60)
    first = verifier.session(token)
    assert verifier.session(token) is first  # the kept session, not a second decode
    assert verifier.verified.get(token, first.expires_at - 1) is first
    assert verifier.verified.get(token, first.expires_at) is None  # at its expiry it is dropped...
    assert token not in verifier.verified.sessions  # ...so the next request verifies it, and is refused


def test_a_verified_token_is_kept_for_at_most_five_minutes_and_a_refused_one_never() -> None:
    settings = Settings(env="test")
    verifier, token = TokenVerifier(settings), issue_token(settings, "ada", [], ttl_seconds=86400)
    verified_at = time.time()
    session = verifier.session(token)
    assert verifier.verified.get(token, verified_at + VERIFIED_FOR_S + 1) is None
    assert session.expires_at > verified_at + VERIFIED_FOR_S
    forged = issue_token(Settings(env="test", jwt_secret="another-secret-of-32-characters!!"), "ada", [])
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            verifier.session(forged)
    assert forged not in verifier.verified.sessions


def test_only_the_latest_verified_tokens_are_kept() -> None:
    settings = Settings(env="test")
    verifier = TokenVerifier(settings)
    tokens = [issue_token(settings, f"p{n}", [], ttl_seconds=60 + n) for n in range(VERIFIED_TOKENS + 5)]
    for token in tokens:
        verifier.session(token)
    assert len(verifier.verified.sessions) == VERIFIED_TOKENS
    assert tokens[0] not in verifier.verified.sessions and tokens[-1] in verifier.verified.sessions
