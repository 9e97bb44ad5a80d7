"""Schemathesis generates thousands of GraphQL operations from the live schema: none may get a
5xx, an unexpected (INTERNAL) error or leak a stack trace; without a token every one of them is
refused as UNAUTHENTICATED and nothing is stored."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import hypothesis
import pytest
import schemathesis
from requests import Response

from api.auth import issue_token
from settings import Settings
from tests.e2e.client import api_base
from tests.e2e.conftest import started_api
from tests.stack import fresh_database, stored_events

MINIMUM_OPERATIONS = 2000
MAX_ROUNDS = 4


def fuzz_operation(
    operation: schemathesis.APIOperation, examples: int, seed: int, headers: dict[str, str], sent: Counter[int],
    expect: Callable[[Response], None],
) -> None:
    @hypothesis.seed(seed)
    @hypothesis.given(case=operation.as_strategy())
    @hypothesis.settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.generate],
    )
    def call(case: schemathesis.Case) -> None:
        response = case.call(headers=headers)
        sent[response.status_code] += 1
        assert response.status_code < 500, f"{case.body}\n{response.text}"
        assert "Traceback" not in response.text and 'File "' not in response.text, response.text
        expect(response)

    call()


def no_unexpected_error(response: Response) -> None:
    assert '"INTERNAL"' not in response.text, response.text


def unauthenticated(response: Response) -> None:
    assert response.status_code == 401 and '"UNAUTHENTICATED"' in response.text, response.text


def fuzz(
    operations: list[schemathesis.APIOperation], headers: dict[str, str], expect: Callable[[Response], None]
) -> Counter[int]:
    examples = -(-MINIMUM_OPERATIONS // len(operations))
    sent: Counter[int] = Counter()
    for seed in range(MAX_ROUNDS):  # a small input space can end a round early; another seed gives new cases
        for operation in operations:
            fuzz_operation(operation, examples, seed, headers, sent, expect)
        if sum(sent.values()) >= MINIMUM_OPERATIONS:
            break
    assert sum(sent.values()) >= MINIMUM_OPERATIONS, sent
    return sent


@pytest.fixture
def settings() -> Iterator[Settings]:
    """No projector runs here: a generated `consistency` ahead of the read models is answered
    UNAVAILABLE at once rather than after the 5 s wait (128 of 2,000 cases waited it out)."""
    with fresh_database(consistency_wait_ms=0) as fresh:
        yield fresh


def test_generated_operations_never_break_the_api(settings: Settings, log_dir: Path) -> None:
    started_api(settings, log_dir)
    headers = {"Authorization": f"Bearer {issue_token(settings, 'fuzzer', ['admin'])}"}
    url = f"{api_base(settings)}/graphql"
    schema = schemathesis.graphql.from_url(url, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    sent = fuzz(operations, headers, no_unexpected_error)
    print(f"fuzzing sent {sum(sent.values())} operations: {dict(sent)}")
    before = stored_events(settings)
    refused = fuzz(operations, {}, unauthenticated)
    assert stored_events(settings) == before
    print(f"fuzzing without a token sent {sum(refused.values())} operations: {dict(refused)}")
