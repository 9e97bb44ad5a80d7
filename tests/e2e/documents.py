"""One GraphQL document for every root field of the schema (queries, mutations, subscriptions),
generated from the contract so that a new field is covered without editing a test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
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
    variables: dict[str, Any]  # a value for each required argument
    arguments: dict[str, GraphQLInputType] = field(default_factory=dict, compare=False)

    def with_each_string(self, value: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """The variables with `value` in one String or ID argument or input field at a time
        (optional ones included), and the name of that argument or field."""
        for argument, kind in self.arguments.items():
            for leaf, argument_value in _with_string(kind, value, argument):
                yield leaf, {**self.variables, argument: argument_value}


def schema() -> GraphQLSchema:
    return build_schema(contract())


def every_document(graphql: GraphQLSchema | None = None) -> list[Document]:
    graphql = graphql or schema()
    roots = {"query": graphql.query_type, "mutation": graphql.mutation_type, "subscription": graphql.subscription_type}
    documents = []
    for kind, root in roots.items():
        for name, root_field in (root.fields if root else {}).items():
            declared = ", ".join(f"${arg}: {arg_def.type}" for arg, arg_def in root_field.args.items())
            passed = ", ".join(f"{arg}: ${arg}" for arg in root_field.args)
            selection = "" if is_leaf_type(get_named_type(root_field.type)) else " { __typename }"
            declared, passed = f"({declared})" if declared else "", f"({passed})" if passed else ""
            text = f"{kind} Every{declared} {{ {name}{passed}{selection} }}"
            values = {arg: sample(a.type) for arg, a in root_field.args.items() if isinstance(a.type, GraphQLNonNull)}
            arguments = {arg: arg_def.type for arg, arg_def in root_field.args.items()}
            documents.append(Document(kind, name, text, values, arguments))
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


def _with_string(kind: GraphQLInputType, value: str, name: str) -> Iterator[tuple[str, Any]]:
    if isinstance(kind, GraphQLNonNull):
        yield from _with_string(kind.of_type, value, name)
    elif isinstance(kind, GraphQLList):
        yield from ((leaf, [item]) for leaf, item in _with_string(kind.of_type, value, name))
    elif isinstance(kind, GraphQLInputObjectType):
        required = sample(kind)
        for field_name, input_field in kind.fields.items():
            for leaf, item in _with_string(input_field.type, value, field_name):
                yield leaf, {**required, field_name: item}
    elif isinstance(kind, GraphQLScalarType) and kind.name in ("ID", "String"):
        yield name, value
