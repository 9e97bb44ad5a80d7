"""api.loaders.selected: which fields a goal query selects, read off graphql-core's nodes,
through named and inline fragments, by field name (not alias)."""

from types import SimpleNamespace
from typing import Any

from graphql import FieldNode, FragmentDefinitionNode, OperationDefinitionNode, parse

from api.loaders import selected

DOCUMENT = """
query Page {
  goals(first: 2) {
    edges { node { id ...Owner ... on Goal { krs: keyResults { id } } } }
    pageInfo { hasNextPage }
  }
}
fragment Owner on Goal { owner { id } title }
"""


def info_for(document: str) -> Any:
    parsed = parse(document)
    operation = next(d for d in parsed.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)}
    roots = [s for s in operation.selection_set.selections if isinstance(s, FieldNode)]
    return SimpleNamespace(_raw_info=SimpleNamespace(field_nodes=roots, fragments=fragments))


def test_the_names_below_a_path_include_those_of_fragments_by_field_name() -> None:
    assert selected(info_for(DOCUMENT), ("goals", "edges", "node")) == {"id", "owner", "title", "keyResults"}


def test_a_path_that_is_not_selected_selects_nothing() -> None:
    assert selected(info_for(DOCUMENT), ("goals", "pageInfo", "hasNextPage")) == set()
    assert selected(info_for(DOCUMENT), ("goal",)) == set()
    assert selected(info_for('{ goal(id: "x") { title progress } }'), ("goal",)) == {"title", "progress"}
