"""Plain fields answered in place (api/execution.py) give what graphql-core's general path gives:
the same values and, for a value out of the ordinary, the same located error."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

import strawberry

from api.execution import PLAIN_FIELDS, PlainFieldsInPlace


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
