"""graphql-core completes every field the same general way: a path, resolve info, the resolver,
then a completion that walks the type. Most fields of a page are plain attributes of a scalar or
enum type (a page of 50 goals with key results: about 1,350 of 1,650), and for them that is most
of a request's time. Here each selection set is planned once per request: its plain fields are
read and coerced in one loop over the set, the others take the general path in the same order.
A value out of the ordinary (null, an error, a type the fast check does not know) takes the
general path too, which answers it exactly as before."""

from __future__ import annotations

from typing import Any

from graphql import ExecutionResult, GraphQLList, GraphQLNonNull, GraphQLObjectType
from graphql.execution.executor import to_nodes
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.field_kinds import (
    ObjectField,
    PlainField,
    ResolverField,
    in_place,
    known_object_field,
    known_plain_field,
    known_resolver_field,
)

# One response name of a selection set: its field nodes and, for a field answered here, how.
Step = tuple[str, Any, PlainField | ObjectField | ResolverField | None]


class PlainFieldsInPlace(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self.in_place = not (manager and manager.middlewares)  # a resolve hook must see every field
        # per selection set of this request (graphql-core collects each once per request), kept with it
        self.plans: dict[tuple[GraphQLObjectType, int], tuple[Any, list[Step]]] = {}
        self.list_plans: dict[tuple[GraphQLObjectType, int], tuple[Any, list[tuple[str, PlainField]] | None]] = {}

    def build_response(self, data: dict[str, Any] | None) -> Any:
        """graphql-core's response; once it is final, this context drops its resolve-info helpers,
        whose bound methods refer back to it: the cycle would leave every request's execution
        state for the garbage collector. Infos already handed out keep the helpers they hold."""
        result = super().build_response(data)
        if type(result) is ExecutionResult:
            del self.async_helpers
        return result

    def complete_list_value(  # type: ignore[override]
        self, return_type: GraphQLList[Any], field_details_list: Any, info: Any, path: Path, result: Any,
        position_context: Any,
    ) -> Any:
        """A list of objects whose selected fields are all plain: every item in one loop. Any
        item or value out of the ordinary: the whole list the general way, from its start."""
        if self.in_place and type(result) is list:
            completed = self.plain_objects(return_type.of_type, field_details_list, info, result)
            if completed is not None:
                return completed
        return super().complete_list_value(return_type, field_details_list, info, path, result, position_context)

    def plain_objects(self, item_type: Any, field_details_list: Any, info: Any, items: list[Any]) -> list[Any] | None:
        non_null = isinstance(item_type, GraphQLNonNull)
        object_type = item_type.of_type if non_null else item_type
        if not isinstance(object_type, GraphQLObjectType):
            return None
        is_type_of = object_type.is_type_of
        steps = self.list_plan(object_type, field_details_list)
        if steps is None:
            return None
        completed: list[Any] = []
        for item in items:
            if item is None:
                if non_null:
                    return None
                completed.append(None)
                continue
            if is_type_of is not None and is_type_of(item, info) is not True:
                return None  # an awaitable answer or a refusal: the general path gives either
            row = {}
            for response_name, plain in steps:
                value = in_place(plain, item)
                if value is Undefined:
                    return None
                row[response_name] = value
            completed.append(row)
        return completed

    def list_plan(self, object_type: GraphQLObjectType, field_details_list: Any) -> list[tuple[str, PlainField]] | None:
        """The plain steps of the items' selection set; None unless every field is plain (and
        neither @defer nor @stream is asked for)."""
        key = (object_type, id(field_details_list))
        known = self.list_plans.get(key)
        if known is None:
            grouped_field_set, defer_usages, _ = self.collect_subfields(object_type, field_details_list)
            steps = [(name, plain) for name, _, plain in self.plan(object_type, grouped_field_set)
                     if type(plain) is PlainField]
            streamed = any(d.name.value == "stream" for f in field_details_list for d in f.node.directives or ())
            plain = not defer_usages and not streamed and len(steps) == len(grouped_field_set)
            known = self.list_plans[key] = (field_details_list, steps if plain else None)
        return known[1]

    def execute_fields(  # type: ignore[override]
        self, parent_type: GraphQLObjectType, source_value: Any, path: Path | None, grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's execute_fields with the plain fields answered in the loop itself."""
        if not self.in_place:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list, plain in self.plan(parent_type, grouped_field_set):
                if type(plain) is PlainField:
                    value = in_place(plain, source_value)
                    if value is not Undefined:
                        results[response_name] = value
                        continue
                field_path = Path(path, response_name, parent_type.name)
                result: Any = Undefined
                if type(plain) is ResolverField:
                    result = self.resolved_in_place(
                        plain, parent_type, source_value, field_details_list, field_path, position_context
                    )
                elif type(plain) is ObjectField and position_context is None:
                    result = self.object_in_place(plain, source_value, field_details_list, field_path)
                if result is Undefined:
                    result = self.execute_field(
                        parent_type, source_value, field_details_list, field_path, position_context
                    )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return self.gathered(results, awaitable_fields)

    def object_in_place(self, field: ObjectField, source: Any, field_details_list: Any, path: Path) -> Any:
        """What execute_field would answer for `field`, its value's fields executed directly;
        Undefined when the value (null, missing, awaitable...) or @defer needs the general path."""
        try:
            value: Any = getattr(source, field.attribute, Undefined)
        except Exception:  # noqa: BLE001 - the general path raises it again, located at its field
            return Undefined
        if value is None or value is Undefined or isinstance(value, Exception) or hasattr(value, "__await__"):
            return Undefined
        grouped_field_set, defer_usages, _ = self.collect_subfields(field.object_type, field_details_list)
        if defer_usages:
            return Undefined
        try:
            completed = self.execute_fields(field.object_type, value, path, grouped_field_set, None)
        except Exception as raw_error:  # a non-null field below failed: as execute_field handles it
            self.handle_field_error(raw_error, field.return_type, field_details_list, path)
            return None
        if self.is_awaitable(completed):
            return self.awaited(completed, field.return_type, field_details_list, path)
        return completed

    def resolved_in_place(  # noqa: PLR0913, PLR0917
        self, step: ResolverField, parent_type: GraphQLObjectType, source: Any, field_details_list: Any,
        path: Path, position_context: Any,
    ) -> Any:
        """graphql-core's execute_field, with the resolver function called as strawberry would."""
        field = step.field
        info = self.build_resolve_info(field, to_nodes(field_details_list), parent_type, path)
        try:
            result = step.call(source, info)
            if self.is_awaitable(result):
                return self.complete_awaitable_value(
                    field.type, field_details_list, info, path, result, position_context
                )
            completed = self.complete_value(field.type, field_details_list, info, path, result, position_context)
            if self.is_awaitable(completed):
                return self.awaited(completed, field.type, field_details_list, path)
        except Exception as raw_error:  # noqa: BLE001 - as execute_field handles it
            self.handle_field_error(raw_error, field.type, field_details_list, path)
            return None
        return completed

    async def awaited(self, completed: Any, return_type: Any, field_details_list: Any, path: Path) -> Any:
        try:
            return await completed
        except Exception as raw_error:  # noqa: BLE001 - as graphql-core's await_completed
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None

    @staticmethod
    async def gathered(results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
        """The awaitable fields' values in `results`, as graphql-core's execute_fields does."""
        if len(awaitable_fields) == 1:
            field = awaitable_fields[0]
            results[field] = await results[field]
        else:
            awaited = await gather_with_cancel(*(results[field] for field in awaitable_fields))
            results.update(zip(awaitable_fields, awaited, strict=True))
        return results

    def plan(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> list[Step]:
        key = (parent_type, id(grouped_field_set))
        known = self.plans.get(key)
        if known is None:
            steps = [
                (name, details, self.plain_step(parent_type, details)) for name, details in grouped_field_set.items()
            ]
            known = self.plans[key] = (grouped_field_set, steps)
        return known[1]

    def plain_step(self, parent_type: GraphQLObjectType, field_details_list: Any) -> Any:
        first = field_details_list[0].node
        field = self.schema.get_field(parent_type, first.name.value)
        if field is None:
            return None
        if any(details.node.arguments for details in field_details_list):
            return None
        return known_plain_field(field) or known_object_field(field) or known_resolver_field(field, self.schema)
