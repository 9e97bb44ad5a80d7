"""Which fields api.execution answers itself, decided once per schema field: plain fields (an
attribute of a scalar or enum type), object fields without a resolver, and resolvers of the
object and `info` alone; and how a plain field's value is checked in place."""

from __future__ import annotations

from collections.abc import Callable
from inspect import isfunction
from math import isfinite
from typing import Any, NamedTuple, TypeVar

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLString,
    get_nullable_type,
    is_leaf_type,
)
from graphql.pyutils import Undefined
from strawberry.schema.schema_converter import CustomGraphQLEnumType, GraphQLCoreConverter
from strawberry.types.field import StrawberryField

T = TypeVar("T")

# How a plain field's value is checked in place; anything the check does not pass takes the
# general path (graphql-core's own coercion, and its error if it refuses).
TEXT, BOOLEAN, INT, FLOAT, ENUM, OTHER = range(6)
SPECIFIED = {id(GraphQLString): TEXT, id(GraphQLID): TEXT, id(GraphQLBoolean): BOOLEAN, id(GraphQLInt): INT,
             id(GraphQLFloat): FLOAT}


class PlainField(NamedTuple):
    attribute: str
    nullable: bool
    coerce: Callable[[Any], Any]
    kind: int
    enum: type | None = None  # ENUM: the Python enum its members are of
    names: dict[Any, str] | None = None  # ENUM: each member's GraphQL name


# By id() of a schema's GraphQLField (which is not hashable), with the field itself: held here,
# it stays alive, so its id cannot be reused by a field of another schema built later.
PLAIN_FIELDS: dict[int, tuple[GraphQLField, PlainField | None]] = {}


def basic_field(field: GraphQLField) -> StrawberryField | None:
    """The definition of a field without a resolver, arguments, permissions or extensions,
    answered by strawberry's own basic resolver (no exception handlers)."""
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if (
        isinstance(definition, StrawberryField)
        and definition.is_basic_field
        and definition.default_resolver is getattr
        and getattr(field.resolve, "_is_default", False)
        and not field.args
    ):
        return definition
    return None


def plain_field(field: GraphQLField) -> PlainField | None:
    """How to answer `field` in place: a basic field of a scalar or enum type."""
    definition, leaf = basic_field(field), get_nullable_type(field.type)
    if definition is None or not is_leaf_type(leaf):
        return None
    coerce = leaf.coerce_output_value  # type: ignore[union-attr]
    name, nullable = definition.python_name, not isinstance(field.type, GraphQLNonNull)
    if type(leaf) is CustomGraphQLEnumType:  # strawberry's: a Python enum's member by its GraphQL name
        members: list[Any] = list(leaf.wrapped_cls)
        return PlainField(name, nullable, coerce, ENUM, leaf.wrapped_cls, {m: coerce(m) for m in members})
    if isinstance(leaf, GraphQLEnumType):
        return PlainField(name, nullable, coerce, OTHER)
    return PlainField(name, nullable, coerce, SPECIFIED.get(id(leaf), OTHER))


def known(found: dict[int, tuple[GraphQLField, T | None]], field: GraphQLField, decide: Callable[[], T | None]
          ) -> T | None:
    """What `decide` says of `field`, asked once per field."""
    answer = found.get(id(field))
    if answer is None:
        answer = found[id(field)] = (field, decide())
    return answer[1]


def known_plain_field(field: GraphQLField) -> PlainField | None:
    return known(PLAIN_FIELDS, field, lambda: plain_field(field))


class ObjectField(NamedTuple):
    """A field without a resolver of an object type that needs no `is_type_of` check (such as an
    edge's `node`): its value's selection set is executed in place, without resolve info."""

    attribute: str
    object_type: GraphQLObjectType
    return_type: Any


def object_field(field: GraphQLField) -> ObjectField | None:
    definition, target = basic_field(field), get_nullable_type(field.type)
    if definition is None or not isinstance(target, GraphQLObjectType) or target.is_type_of is not None:
        return None
    return ObjectField(definition.python_name, target, field.type)


OBJECT_FIELDS: dict[int, tuple[GraphQLField, ObjectField | None]] = {}  # as PLAIN_FIELDS


def known_object_field(field: GraphQLField) -> ObjectField | None:
    return known(OBJECT_FIELDS, field, lambda: object_field(field))


class ResolverField(NamedTuple):
    """A field whose resolver is a function of the object and `info` alone (no arguments,
    extensions, permissions or exception handlers), such as Goal.progress: called directly,
    without strawberry's argument conversion and extension chain around it."""

    field: GraphQLField
    call: Callable[[Any, GraphQLResolveInfo], Any]


def resolver_field(field: GraphQLField, schema: GraphQLSchema) -> ResolverField | None:
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    strawberry_schema = getattr(schema, "_strawberry_schema", None)
    if not isinstance(definition, StrawberryField) or strawberry_schema is None:
        return None
    resolver = definition.base_resolver
    if (
        resolver is None
        or definition.extensions
        or definition.is_async
        or field.args
        or strawberry_schema.schema_converter._exception_handler_specs  # noqa: SLF001 - none in this schema
        or resolver.self_parameter is None
        or resolver.info_parameter is None
        or len(resolver.signature.parameters) != 2  # noqa: PLR2004 - self and info
    ):
        return None
    function, info_name = resolver.wrapped_func, resolver.info_parameter.name
    if not isfunction(function):  # a static or class method binds differently
        return None
    info_class = strawberry_schema.config.info_class

    def call(source: Any, info: GraphQLResolveInfo) -> Any:
        return function(source, **{info_name: info_class(_raw_info=info, _field=definition)})

    return ResolverField(field, call)


RESOLVER_FIELDS: dict[int, tuple[GraphQLField, ResolverField | None]] = {}  # as PLAIN_FIELDS


def known_resolver_field(field: GraphQLField, schema: GraphQLSchema) -> ResolverField | None:
    return known(RESOLVER_FIELDS, field, lambda: resolver_field(field, schema))


def in_place(plain: PlainField, source: Any) -> Any:
    """The field's value of `source` coerced as its type would, or Undefined when it needs the
    general path (which reads it again and answers it, error included)."""
    try:
        value: Any = getattr(source, plain.attribute, Undefined)
    except Exception:  # noqa: BLE001 - not hidden: the general path raises it again, located at its field
        return Undefined
    if value is None:
        return None if plain.nullable else Undefined
    kind = plain.kind
    cls = type(value)
    if kind == TEXT:
        return value if cls is str else Undefined
    if kind == FLOAT:
        return value if cls is float and isfinite(value) else Undefined
    if kind == INT:
        return value if cls is int and GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT else Undefined
    if kind == ENUM:
        return plain.names[value] if cls is plain.enum else Undefined  # type: ignore[index]
    if kind == BOOLEAN:
        return value if cls is bool else Undefined
    if value is Undefined or isinstance(value, Exception) or hasattr(value, "__await__"):
        return Undefined
    try:
        coerced = plain.coerce(value)
    except Exception:  # noqa: BLE001 - as above
        return Undefined
    return Undefined if coerced is None else coerced
