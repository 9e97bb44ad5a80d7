"""Bearer tokens: verify them into an Actor, and issue development tokens."""

from __future__ import annotations

import time

import jwt

from application.identity import Actor
from settings import Settings

ALGORITHM = "HS256"


class Unauthenticated(Exception):
    code = "UNAUTHENTICATED"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TokenVerifier:
    def __init__(self, settings: Settings) -> None:
        self.secret = settings.jwt_secret

    def actor_from_header(self, authorization: str | None) -> Actor:
        if not authorization:
            raise Unauthenticated("missing bearer token")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
        return self.verify(token.strip())

    def verify(self, token: str) -> Actor:
        try:
            claims = jwt.decode(
                token, self.secret, algorithms=[ALGORITHM], options={"require": ["sub", "exp"]}
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("the token has expired") from None
        except jwt.InvalidTokenError as error:
            raise Unauthenticated(f"invalid token: {error}") from None
        subject, roles = claims.get("sub"), claims.get("roles", [])
        if not isinstance(subject, str) or not subject.strip():
            raise Unauthenticated("the token's subject must be a person id")
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise Unauthenticated("the token's roles must be a list of names")
        return Actor(id=subject, roles=frozenset(roles))


def issue_token(settings: Settings, subject: str, roles: list[str], ttl_seconds: int = 86400) -> str:
    now = int(time.time())
    claims = {"sub": subject, "roles": roles, "iat": now, "exp": now + ttl_seconds}
    return jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM)
