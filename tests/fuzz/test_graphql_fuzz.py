"""Schemathesis generates thousands of GraphQL operations from the live schema: none may get a
5xx or leak a stack trace."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import hypothesis
import schemathesis

from api.auth import issue_token
from settings import Settings
from tests.e2e.conftest import started_api

MINIMUM_OPERATIONS = 2000
MAX_ROUNDS = 4


def fuzz_operation(
    operation: schemathesis.APIOperation, examples: int, seed: int, headers: dict[str, str], sent: Counter[int]
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

    call()


def test_generated_operations_never_break_the_api(settings: Settings, log_dir: Path) -> None:
    started_api(settings, log_dir)
    headers = {"Authorization": f"Bearer {issue_token(settings, 'fuzzer', ['admin'])}"}
    url = f"http://{settings.api_host}:{settings.api_port}/graphql"
    schema = schemathesis.graphql.from_url(url, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    examples = -(-MINIMUM_OPERATIONS // len(operations))
    sent: Counter[int] = Counter()
    for seed in range(MAX_ROUNDS):  # a small input space can end a round early; another seed gives new cases
        for operation in operations:
            fuzz_operation(operation, examples, seed, headers, sent)
        if sum(sent.values()) >= MINIMUM_OPERATIONS:
            break
    assert sum(sent.values()) >= MINIMUM_OPERATIONS, sent
    print(f"fuzzing sent {sum(sent.values())} operations: {dict(sent)}")
