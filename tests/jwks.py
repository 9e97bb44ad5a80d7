"""Test signing keys and a tiny JWKS server on 127.0.0.1, standing in for an identity provider."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

ISSUER, AUDIENCE = "https://id.example.test/", "momentum-api"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def jwks_document() -> bytes:
    rsa_jwk = {**jwt.algorithms.RSAAlgorithm.to_jwk(RSA_KEY.public_key(), as_dict=True), "kid": "rsa-1", "use": "sig"}
    ec_jwk = {**jwt.algorithms.ECAlgorithm.to_jwk(EC_KEY.public_key(), as_dict=True), "kid": "ec-1", "use": "sig"}
    return json.dumps({"keys": [rsa_jwk, ec_jwk]}).encode()


class _JwksHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server hook's name
        body = jwks_document()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def jwks_server() -> Iterator[str]:
    """The URL of a JWKS document holding the public halves of RSA_KEY and EC_KEY."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _JwksHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    finally:
        server.shutdown()
        server.server_close()


def signed(key: Any = RSA_KEY, algorithm: str = "RS256", kid: str = "rsa-1", **claims: Any) -> str:
    payload = {"sub": "ada", "roles": ["admin"], "iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 60, **claims}
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": kid})
