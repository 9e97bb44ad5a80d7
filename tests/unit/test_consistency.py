"""The sequence a request waits for: the highest `consistency` anywhere in its operation."""

from __future__ import annotations

from graphql import parse

from api.consistency import requested_sequence


def wanted(query: str, operation: str | None = None, **variables: object) -> int:
    return requested_sequence(parse(query), operation, variables)


def test_the_highest_literal_or_variable_of_any_field_and_fragment_counts() -> None:
    query = """query Q($c: Int, $d: Int = 7) { me { id } person(id: "a", consistency: $c) { id }
        goal(id: "g", consistency: 12) { id } ...more }
        fragment more on Query { team(id: "t", consistency: $d) { id } }"""
    assert wanted(query, c=30) == 30
    assert wanted(query, c=3) == 12
    assert wanted(query.replace("consistency: 12", "consistency: 1"), c=None) == 7  # the variable's default


def test_only_the_selected_operation_and_only_graphql_ints_count() -> None:
    two = 'query A { goal(id: "g", consistency: 5) { id } } query B { me { id } }'
    assert wanted(two, "A") == 5
    assert wanted(two, "B") == 0
    assert wanted(two) == 0  # ambiguous: execution refuses it
    one = "query($c: Int) { goal(id: \"g\", consistency: $c) { id } }"
    for not_an_int in ("12", True, 2**31, 1.5, None):
        assert wanted(one, c=not_an_int) == 0, not_an_int  # left to execution's own refusal


def test_one_parsed_document_answers_for_each_operation_and_each_request_s_variables() -> None:
    """The walk is kept per parsed document (parsed once, as api.schema caches it) and operation:
    what it finds still depends on the operation named and on each request's variables."""
    document = parse('query A($c: Int) { goal(id: "g", consistency: $c) { id } } query B { me { id } }')
    assert requested_sequence(document, "A", {"c": 9}) == 9
    assert requested_sequence(document, "B", {"c": 9}) == 0
    assert requested_sequence(document, "A", {"c": 4}) == 4
    assert requested_sequence(document, "A", {}) == 0
