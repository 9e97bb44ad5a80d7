"""One GraphQL document for every root field of the schema (queries, mutations, subscriptions),
generated from the contract so that a new field is covered without editing a test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    build_schema,
    get_named_type,
    is_leaf_type,
)

from api.schema import contract

SAMPLE_SCALARS: dict[str, Any] = {
    "ID": "8b0f3f2e-1111-4222-8333-444455556666", "String": "x", "Int": 1, "Float": 1.0, "Boolean": True,
    "Date": "2026-01-01", "DateTime": "2026-01-01T00:00:00+00:00", "JSON": {},
}


@dataclass(frozen=True)
class Document:
    kind: str  # query, mutation or subscription
    field: str
    query: str
    variables: dict[str, Any]


def schema() -> GraphQLSchema:
    return build_schema(contract())


def every_document(graphql: GraphQLSchema | None = None) -> list[Document]:
    graphql = graphql or schema()
    roots = {"query": graphql.query_type, "mutation": graphql.mutation_type, "subscription": graphql.subscription_type}
    documents = []
    for kind, root in roots.items():
        for name, field in (root.fields if root else {}).items():
            declared = ", ".join(f"${arg}: {arg_def.type}" for arg, arg_def in field.args.items())
            passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
            selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
            text = f"{kind} Every{'(' + declared + ')' if declared else ''} {{ {name}{'(' + passed + ')' if passed else ''}{selection} }}"
            values = {arg: sample(arg_def.type) for arg, arg_def in field.args.items() if isinstance(arg_def.type, GraphQLNonNull)}
            documents.append(Document(kind, name, text, values))
    return documents


def sample(kind: GraphQLInputType) -> Any:
    """A value of the type that GraphQL coerces: required fields filled, optional ones left out."""
    if isinstance(kind, GraphQLNonNull):
        return sample(kind.of_type)
    if isinstance(kind, GraphQLList):
        return [sample(kind.of_type)]
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLInputObjectType):
        return {name: sample(f.type) for name, f in kind.fields.items() if isinstance(f.type, GraphQLNonNull)}
    assert isinstance(kind, GraphQLScalarType)
    return SAMPLE_SCALARS[kind.name]
