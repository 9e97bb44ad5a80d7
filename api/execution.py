"""graphql-core completes every field the same general way: resolve info, the resolver, then a
completion that walks the type. Most fields of a page are plain attributes of a scalar or enum
type (a page of 50 goals with key results: about 1,500 of 1,650), and for them that is most of
a request's time. Such a field is read and coerced in place here, with the same result; any value
out of the ordinary (null, an error, something the type does not coerce) takes the general path,
which answers it as before."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from graphql import GraphQLField, GraphQLObjectType, get_nullable_type, is_leaf_type
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField


class PlainField(NamedTuple):
    attribute: str
    coerce: Callable[[Any], Any]


# By id() of a schema's GraphQLField (which is not hashable), with the field itself: held here,
# it stays alive, so its id cannot be reused by a field of another schema built later.
PLAIN_FIELDS: dict[int, tuple[GraphQLField, PlainField | None]] = {}


def plain_field(field: GraphQLField) -> PlainField | None:
    """How to answer `field` in place: a field without a resolver, permissions or extensions,
    strawberry's own basic resolver (no exception handlers), of a scalar or enum type."""
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    leaf = get_nullable_type(field.type)
    if (
        isinstance(definition, StrawberryField)
        and definition.is_basic_field
        and definition.default_resolver is getattr
        and getattr(field.resolve, "_is_default", False)
        and not field.args
        and is_leaf_type(leaf)
    ):
        return PlainField(definition.python_name, leaf.coerce_output_value)  # type: ignore[union-attr]
    return None


class PlainFieldsInPlace(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self.in_place = not (manager and manager.middlewares)  # a resolve hook must see every field

    def execute_field(  # type: ignore[override]
        self, parent_type: GraphQLObjectType, source: Any, field_details_list: Any, path: Path,
        position_context: Any,
    ) -> Any:
        if self.in_place:
            node = field_details_list[0].node
            field = self.schema.get_field(parent_type, node.name.value)
            if field is not None and not node.arguments:
                plain = _known_plain_field(field)
                if plain is not None:
                    value = getattr(source, plain.attribute, None)
                    if value is not None and not isinstance(value, Exception) and not self.is_awaitable(value):
                        coerced = _coerced(plain, value)
                        if coerced is not None and coerced is not Undefined:
                            return coerced
        return super().execute_field(parent_type, source, field_details_list, path, position_context)


def _known_plain_field(field: GraphQLField) -> PlainField | None:
    known = PLAIN_FIELDS.get(id(field))
    if known is None:
        known = PLAIN_FIELDS[id(field)] = (field, plain_field(field))
    return known[1]


def _coerced(plain: PlainField, value: Any) -> Any:
    try:
        return plain.coerce(value)
    except Exception:  # noqa: BLE001 - not hidden: the general path raises it again, located at its field
        return None
