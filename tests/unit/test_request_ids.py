"""A generated request id: 32 hex digits, as uuid4().hex gave, and a new one for every request."""

from __future__ import annotations

import re

from api.requestlog import ACCEPTED_ID, new_request_id


def test_a_generated_request_id_is_32_hex_digits_and_never_repeats() -> None:
    ids = [new_request_id() for _ in range(10_000)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) and ACCEPTED_ID.match(i) for i in ids)
    assert len(set(ids)) == len(ids)
