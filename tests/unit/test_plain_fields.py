"""Plain fields answered in place (api/execution.py) give what graphql-core's general path gives:
the same values and, for a value out of the ordinary, the same located error."""

from __future__ import annotations

import asyncio
import enum
import json
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Annotated, Any

import pytest
import strawberry
from strawberry.schema.schema_converter import GraphQLCoreConverter

from api.execution import PlainFieldsInPlace
from api.field_kinds import OBJECT_FIELDS, PLAIN_FIELDS, RESOLVER_FIELDS


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    id: strawberry.ID
    name: str
    score: float
    count: int
    colour: Colour
    at: datetime
    maybe: str | None
    required: str  # some items hold None here: a non-null field's error

    @strawberry.field
    def shout(self, suffix: str = "!") -> str:
        return self.name.upper() + suffix


def items() -> list[Item]:
    at = datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)
    good = Item(id=strawberry.ID("1"), name="a", score=1.5, count=2, colour=Colour.RED, at=at, maybe=None, required="x")
    not_a_float = Item(id=strawberry.ID("2"), name="b", score="high", count=3,  # type: ignore[arg-type]
                       colour=Colour.BLUE, at=at, maybe="m", required="y")
    null = Item(id=strawberry.ID("3"), name="c", score=0, count=0, colour=Colour.RED, at=at, maybe="m",
                required=None)  # type: ignore[arg-type]
    return [good, not_a_float, null]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return items()  # type: ignore[return-value]


QUERY = "{ items { id name score count colour at maybe required shout alias: name loud: shout(suffix: \"?\") } }"


def run(**options: Any) -> Any:
    result = strawberry.Schema(query=Query, **options).execute_sync(QUERY)
    return result.data, [(e.message, e.path) for e in result.errors or []]


def test_plain_fields_in_place_answer_as_the_general_path_does() -> None:
    PLAIN_FIELDS.clear()
    in_place = run(execution_context_class=PlainFieldsInPlace)
    assert in_place == run()
    data, errors = in_place
    assert data["items"][0] == {
        "id": "1", "name": "a", "score": 1.5, "count": 2, "colour": "RED", "at": "2027-01-02T03:04:05+00:00",
        "maybe": None, "required": "x", "shout": "A!", "alias": "a", "loud": "A?",
    }
    assert data["items"][1:] == [None, None]  # an error in a non-null field nulls its nearest nullable parent
    assert errors == [
        ("Float cannot represent non numeric value: 'high'", ["items", 1, "score"]),
        ("Cannot return null for non-nullable field Item.required.", ["items", 2, "required"]),
    ]
    answered_in_place = {plain.attribute for _, plain in PLAIN_FIELDS.values() if plain is not None}
    assert answered_in_place == {"id", "name", "score", "count", "colour", "at", "maybe", "required"}


class Other(enum.Enum):
    RED = "red"


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Tag(Named):
    name: str
    weight: float
    size: int
    on: bool
    colour: Colour | None


@strawberry.type
class Box(Named):
    name: str
    count: int

    @strawberry.field
    async def later(self) -> str:
        return self.name * 2

    @strawberry.field
    def tags(self) -> list[Tag]:
        return odd_tags()


def odd_tags() -> list[Tag]:
    """A well-formed tag, then one value out of the ordinary per field, each in its own tag."""
    good: dict[str, Any] = {"name": "t", "weight": 2.5, "size": 7, "on": True, "colour": Colour.BLUE}
    odd: list[tuple[str, Any]] = [
        ("weight", float("inf")), ("weight", 3), ("weight", True), ("weight", "4.5"), ("weight", "heavy"),
        ("size", 2**40), ("size", 4.0), ("size", 4.5), ("size", False), ("size", "9"),
        ("name", 12), ("name", 1.5), ("name", True), ("name", Colour.RED), ("name", None), ("name", ValueError("no")),
        ("on", 1), ("on", "yes"), ("colour", "red"), ("colour", Other.RED), ("colour", None), ("colour", "RED"),
    ]
    return [Tag(**good)] + [Tag(**{**good, key: value}) for key, value in odd]


@strawberry.type
class Reading:
    value: str | None
    other: int | None


class Exploding:
    other = 1

    @property
    def value(self) -> str:
        raise ValueError("boom")


@strawberry.type
class Inner:
    value: str

    @strawberry.field
    async def later(self) -> str:
        return self.value * 2  # a TypeError for a None value: an asynchronous non-null error

    @strawberry.field
    def upper(self, info: strawberry.Info) -> str:
        return self.value.upper()  # an AttributeError for a None value

    @strawberry.field(graphql_type=str)
    def eventually(self, info: strawberry.Info) -> Any:
        return doubled(self.value)  # an awaitable from a plain function, as a DataLoader's load

    @strawberry.field
    def readings(self, info: strawberry.Info) -> list[Reading | None]:
        return [Reading(value=self.value, other=len(info.path.as_list())), None, Exploding()]  # type: ignore[list-item]


async def doubled(value: str) -> str:
    return value * 2


@strawberry.type
class Holder:
    """Object fields without a resolver, executed in place (api.field_kinds.ObjectField)."""

    inner: Inner
    maybe_inner: Inner | None
    reading: Reading | None


def holders() -> list[Holder]:
    odd: Any = None
    return [
        Holder(inner=Inner(value="a"), maybe_inner=None, reading=Reading(value="r", other=1)),
        Holder(inner=Inner(value=odd), maybe_inner=Inner(value="b"), reading=Exploding()),  # type: ignore[arg-type]
        Holder(inner=SimpleNamespace(value="c"), maybe_inner=Inner(value=odd), reading=odd),  # type: ignore[arg-type]
        Holder(inner=odd, maybe_inner=ValueError("no"), reading=SimpleNamespace(other=3)),  # type: ignore[arg-type]
    ]


@strawberry.type
class Shelf:
    @strawberry.field
    def holders(self) -> list[Holder | None]:
        return holders()  # type: ignore[return-value]

    @strawberry.field
    def strict_holders(self) -> list[Holder]:
        return holders()[:1] + holders()[2:3]

    @strawberry.field
    def readings(self) -> list[Reading | None]:
        return [Reading(value=None, other=None), SimpleNamespace(other=2), Exploding()]  # type: ignore[list-item]

    @strawberry.field
    def exploding(self) -> Reading:
        return Exploding()  # type: ignore[return-value]

    @strawberry.field
    def unread(self) -> Reading | None:
        return SimpleNamespace(value="v")  # type: ignore[return-value]

    @strawberry.field
    def boxes(self) -> list[Box | None]:
        return [Box(name="b", count=2), None, Box(name="c", count=2**33)]

    @strawberry.field
    def things(self) -> list[Annotated[Tag | Box, strawberry.union("Thing")]]:
        return [odd_tags()[0], Box(name="d", count=1)]

    @strawberry.field
    def named(self) -> list[Named]:
        return [odd_tags()[0], Box(name="e", count=3)]

    @strawberry.field
    def tags(self) -> list[Tag | None]:
        return odd_tags()  # type: ignore[return-value]

    @strawberry.field
    def strict_tags(self) -> list[Tag]:
        return odd_tags()

    @strawberry.field
    def fine_tags(self) -> list[Tag | None]:
        good = odd_tags()[0]
        return [good, None, Tag(name="u", weight=-1.0, size=-3, on=False, colour=None)]

    @strawberry.field
    def strict_fine_tags(self) -> list[Tag]:
        return [odd_tags()[0]] * 2

    @strawberry.field
    def mixed_up_tags(self) -> list[Tag | None]:
        return [odd_tags()[0], SimpleNamespace(name="x")]  # type: ignore[list-item]  # not a Tag

    @strawberry.field
    def strict_tags_with_a_null(self) -> list[Tag] | None:
        return [odd_tags()[0], None]  # type: ignore[list-item]


DOCUMENTS = [
    "{ tags { name weight size on colour } }",
    "{ strictTags { name weight } }",
    "{ tags { n: name name again: name, w: weight colour __typename } }",
    "{ __typename boxes { __typename name count later tags { size } } }",
    "{ boxes { ...B } } fragment B on Box { name ... on Box { count } ...C } fragment C on Named { name }",
    "{ things { __typename ... on Tag { name weight } ... on Box { name count later } } }",
    "{ named { name __typename ... on Box { count } ... on Tag { on colour } } }",
    "query($yes: Boolean!, $no: Boolean!) { tags { name @include(if: $yes) weight @skip(if: $yes) "
    "size @include(if: $no) on @skip(if: $no) colour @include(if: true) @skip(if: false) } }",
    "query($no: Boolean!) { boxes { name ...B @include(if: $no) } } fragment B on Box { count }",
    "{ boxes { name } boxes { count } b: boxes { n: name } }",
    "{ fineTags { name weight size on colour } strictFineTags { n: name size name } }",
    "{ fineTags { ...T } } fragment T on Tag { name ... on Tag { weight } ... on Named { name } }",
    "query($yes: Boolean!) { fineTags { name @skip(if: $yes) size @include(if: $yes) } }",
    "{ strictTagsWithANull { name } fineTags { name } }",
    "{ mixedUpTags { name } }",
    "{ readings { value other } exploding { other value } unread { value other } }",
    "{ readings { other } }",
    "{ holders { inner { value later } maybeInner { value later } reading { value other } } }",
    "{ holders { inner { value } } strictHolders { maybeInner { value } } }",
    "{ strictHolders { maybeInner { later } inner { later } } }",
    "{ holders { ... on Holder { inner { value } } r: reading { other } } }",
    "{ holders { inner { upper eventually readings { value other } } maybeInner { upper eventually } } }",
    "{ strictHolders { inner { e: eventually u: upper readings { other } } } }",
]


def execute_both(document: str) -> tuple[Any, Any]:
    async def run(schema: strawberry.Schema) -> Any:
        result = await schema.execute(document, variable_values={"yes": True, "no": False})
        errors = [(e.message, e.path, [(at.line, at.column) for at in e.locations or []]) for e in result.errors or []]
        return json.dumps(result.data), sorted(errors, key=repr)

    PLAIN_FIELDS.clear()
    fast = strawberry.Schema(query=Shelf, types=[Tag, Box], execution_context_class=PlainFieldsInPlace)
    general = strawberry.Schema(query=Shelf, types=[Tag, Box])
    return asyncio.run(run(fast)), asyncio.run(run(general))


@pytest.mark.parametrize("document", DOCUMENTS)
def test_selection_sets_answered_in_one_loop_come_out_as_graphql_core_gives_them(document: str) -> None:
    """Same data in the same key order, same errors at the same paths: fragments, aliases,
    @include/@skip, __typename, unions, interfaces, nested lists, nulls, and values of every
    scalar the fast check may not pass."""
    fast, general = execute_both(document)
    assert fast == general


HOLDERS = "{ holders { inner { value later } maybeInner { value later } reading { value other } } }"
RESOLVED = "{ holders { inner { upper eventually readings { value other } } maybeInner { upper eventually } } }"


def test_object_fields_without_a_resolver_are_executed_in_place() -> None:
    OBJECT_FIELDS.clear()
    execute_both(HOLDERS)
    executed_in_place = {field.attribute for _, field in OBJECT_FIELDS.values() if field is not None}
    assert executed_in_place == {"inner", "maybe_inner", "reading"}


def test_resolvers_of_the_object_and_info_alone_are_called_in_place() -> None:
    RESOLVER_FIELDS.clear()
    execute_both(RESOLVED)
    execute_both("{ boxes { later shout: name } tags { name } }")
    called_in_place = {
        field.extensions[GraphQLCoreConverter.DEFINITION_BACKREF].python_name: step is not None
        for field, step in RESOLVER_FIELDS.values()
    }
    assert {name for name, yes in called_in_place.items() if yes} == {"upper", "eventually", "readings"}
    assert called_in_place["later"] is False  # asynchronous: the general path
