"""Bearer tokens: verify them into an Actor, and issue development tokens.

Production tokens are RS256/ES256, verified against a JWKS URL or a PEM public key, with
issuer, audience and expiry checked. HS256 tokens signed with MOMENTUM_JWT_SECRET are
accepted only outside production (development and the test suite)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import jwt

from api.valid_text import is_text
from application.identity import Actor
from domain.integrations import INTEGRATION_ROLE
from settings import Settings

DEVELOPMENT_ALGORITHM = "HS256"
PRODUCTION_ALGORITHMS = ("RS256", "ES256")
LATEST_TIME = 253402300799  # 9999-12-31T23:59:59Z: an exp, iat or nbf beyond it (either way) is no time
MAX_SUBJECT = 256  # characters of `sub`
MAX_ROLES = 64  # names in `roles`
VERIFIED_TOKENS = 10_000  # sessions kept per process (the oldest verified is forgotten first)
VERIFIED_FOR_S = 300.0  # at most: a key withdrawn from the JWKS stops a cached token within this


class Unauthenticated(Exception):
    code = "UNAUTHENTICATED"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Session:
    """Who the token says, and until when (a websocket outlives a request: it checks `expires_at`)."""

    actor: Actor
    expires_at: float

    def require_unexpired(self) -> None:
        if time.time() >= self.expires_at:
            raise Unauthenticated("the token has expired: reconnect with a new one")


class VerifiedTokens:
    """Sessions of tokens verified in this process, so a client sending the same token again is
    not verified again: each is kept until its token expires, for at most `VERIFIED_FOR_S`, and
    only the `VERIFIED_TOKENS` latest. A token that failed verification is never kept."""

    def __init__(self) -> None:
        self.sessions: dict[str, tuple[Session, float]] = {}  # token -> (session, good until)

    def get(self, token: str, now: float) -> Session | None:
        kept = self.sessions.get(token)
        if kept is None:
            return None
        if now < kept[1]:
            return kept[0]
        del self.sessions[token]
        return None

    def keep(self, token: str, session: Session, now: float) -> None:
        self.sessions[token] = (session, min(session.expires_at, now + VERIFIED_FOR_S))
        while len(self.sessions) > VERIFIED_TOKENS:
            del self.sessions[next(iter(self.sessions))]


class TokenVerifier:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.jwks = jwt.PyJWKClient(settings.jwt_jwks_url, timeout=5) if settings.jwt_jwks_url else None
        self.public_key = settings.jwt_public_key
        self.verified = VerifiedTokens()

    async def session_from_header(self, authorization: object) -> Session:
        """The verified token; a JWKS fetch (rare: keys are cached) runs off the event loop."""
        token = bearer_token(authorization)
        kept = self.verified.get(token, time.time())
        if kept is not None:
            return kept
        if self.jwks is not None and _algorithm(token) in PRODUCTION_ALGORITHMS:
            return await asyncio.to_thread(self.session, token)
        return self.session(token)

    def verify(self, token: str) -> Actor:
        return self.session(token).actor

    def session(self, token: str) -> Session:
        now = time.time()
        session = self.verified.get(token, now)
        if session is None:
            session = self._verified(token)
            self.verified.keep(token, session, now)
        return session

    def _verified(self, token: str) -> Session:
        algorithm = _algorithm(token)
        try:
            claims = jwt.decode(
                token,
                self._key(token, algorithm),
                algorithms=[algorithm],
                issuer=self.settings.jwt_issuer or None,
                audience=self.settings.jwt_audience or None,
                options={"require": ["sub", "exp"], "verify_aud": bool(self.settings.jwt_audience)},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("the token has expired") from None
        except (jwt.InvalidTokenError, jwt.PyJWKClientError) as error:
            raise Unauthenticated(f"invalid token: {error}") from None
        return Session(_actor(claims), _expiry(claims))

    def _key(self, token: str, algorithm: str) -> Any:
        if algorithm == DEVELOPMENT_ALGORITHM and self.settings.accepts_development_tokens:
            return self.settings.jwt_secret
        if algorithm not in PRODUCTION_ALGORITHMS:
            raise Unauthenticated(f"tokens signed with {algorithm!r} are not accepted here")
        if self.jwks is not None:
            try:
                return self.jwks.get_signing_key_from_jwt(token).key
            except jwt.PyJWKClientError as error:
                raise Unauthenticated(f"no signing key for the token: {error}") from None
        if self.public_key:
            return self.public_key
        raise Unauthenticated("no public key is configured for RS256/ES256 tokens")


def bearer_token(authorization: object) -> str:
    """The token of an `Authorization` value (a header, or an entry of a websocket's payload)."""
    if not authorization:
        raise Unauthenticated("missing bearer token")
    if not isinstance(authorization, str):
        raise Unauthenticated("the Authorization value must be the string 'Bearer <token>'")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
    return token.strip()


def _algorithm(token: str) -> str:
    try:
        algorithm = jwt.get_unverified_header(token).get("alg")
    except jwt.InvalidTokenError as error:
        raise Unauthenticated(f"invalid token: {error}") from None
    if not isinstance(algorithm, str):
        raise Unauthenticated("the token names no signing algorithm")
    return algorithm


def _expiry(claims: dict[str, Any]) -> float:
    """RFC 7519's NumericDate is a JSON number: PyJWT also takes strings, and any huge integer."""
    for name in ("exp", "iat", "nbf"):
        if name in claims and not _is_time(claims[name]):
            raise Unauthenticated(f"the token's {name} must be a time in seconds since 1970")
    return float(claims["exp"])


def _is_time(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and -LATEST_TIME <= value <= LATEST_TIME


def _actor(claims: dict[str, Any]) -> Actor:
    subject, roles = claims.get("sub"), claims.get("roles", [])
    if not isinstance(subject, str) or not subject.strip() or len(subject) > MAX_SUBJECT or not is_text(subject):
        raise Unauthenticated(f"the token's subject must be a person id (text of up to {MAX_SUBJECT} characters)")
    if not isinstance(roles, list) or len(roles) > MAX_ROLES or not all(_is_name(r) for r in roles):
        raise Unauthenticated(f"the token's roles must be a list of up to {MAX_ROLES} names")
    if INTEGRATION_ROLE in roles:  # a service account's token: the one role, whatever else it claims
        roles = [INTEGRATION_ROLE]
    return Actor(id=subject, roles=frozenset(roles))


def _is_name(role: object) -> bool:
    return isinstance(role, str) and 0 < len(role) <= MAX_SUBJECT and is_text(role)


def issue_token(settings: Settings, subject: str, roles: list[str], ttl_seconds: int = 86400) -> str:
    """A development (HS256) token; it carries the configured issuer and audience, if any."""
    now = int(time.time())
    claims: dict[str, Any] = {"sub": subject, "roles": roles, "iat": now, "exp": now + ttl_seconds}
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    return jwt.encode(claims, settings.jwt_secret, algorithm=DEVELOPMENT_ALGORITHM)
