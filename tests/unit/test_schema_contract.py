"""schema.graphql is the contract frontends build against: it must match the code."""

from pathlib import Path

from api.schema import build_schema, contract
from settings import Settings

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_schema_graphql_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text() == contract(), "schema.graphql is out of date: run `momentum docs schema`"


def test_the_contract_has_subscriptions_and_no_test_only_field() -> None:
    from graphql import build_schema as parse_sdl

    text = contract()
    goal_updated = parse_sdl(text).subscription_type.fields["goalUpdated"]  # type: ignore[union-attr]
    assert str(goal_updated.type) == "Goal!" and str(goal_updated.args["goalId"].type) == "ID!"
    assert "failingResolver" not in text


def test_introspection_and_the_failing_resolver_follow_the_settings() -> None:
    introspection = "{ __schema { queryType { name } } }"
    assert build_schema(Settings.model_construct()).execute_sync(introspection).errors is None
    refused = build_schema(Settings.model_construct(graphql_introspection=False)).execute_sync(introspection)
    assert refused.errors and "introspection has been disabled" in refused.errors[0].message
    assert "failingResolver" in str(build_schema(Settings.model_construct(fault_injection=True)))


def test_every_example_operation_in_docs_graphql_md_is_valid_against_the_schema() -> None:
    from graphql import parse, validate

    text = (SCHEMA_FILE.parent / "docs" / "graphql.md").read_text()
    examples = [block.split("```")[0] for block in text.split("```graphql\n")[1:]]
    schema = build_schema(Settings.model_construct())._schema
    assert len(examples) >= 4
    for example in examples:
        assert validate(schema, parse(example)) == [], example
