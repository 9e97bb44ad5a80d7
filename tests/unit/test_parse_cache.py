"""Parsed documents are cached per query text (api/documents.CachedParse); a text over the token
limit is still refused with VALIDATION, each time it is sent."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from graphql import parse

from api import documents
from api.schema import build_schema
from settings import Settings

SMALL = "{ __typename }"
LONG = "{ " + " ".join(f"a{n}: __typename" for n in range(30)) + " }"


def test_a_document_is_parsed_once_and_one_over_the_token_limit_is_refused_each_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed: list[str] = []

    def counted(text: str, **options: Any) -> Any:
        parsed.append(text)
        return parse(text, **options)

    monkeypatch.setattr(documents, "parse", counted)
    schema = build_schema(Settings.model_construct(graphql_max_tokens=40, graphql_max_aliases=100))

    async def twice(query: str) -> list:
        return [await schema.execute(query) for _ in range(2)]

    first, second = asyncio.run(twice(SMALL))
    assert first.data == second.data == {"__typename": "Query"}
    assert parsed == [SMALL]
    for refused in asyncio.run(twice(LONG)):
        assert refused.data is None
        assert [(e.extensions or {}).get("code") for e in refused.errors or []] == ["VALIDATION"]
        assert "more than 40 tokens" in refused.errors[0].message


def test_a_spread_of_an_unknown_fragment_is_refused_with_validation() -> None:
    schema = build_schema(Settings.model_construct())
    refused = asyncio.run(schema.execute("query Q { goals { edges { node { ...Nope } } } }"))
    assert refused.data is None
    assert [(e.extensions or {}).get("code") for e in refused.errors or []] == ["VALIDATION"]
    assert refused.errors and refused.errors[0].message == "Unknown fragment 'Nope'."
