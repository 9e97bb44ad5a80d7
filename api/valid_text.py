"""Valid text at the API boundary: no string of an operation (a literal argument or a variable's
value, ids and filters included) or of a token's claims may hold a NUL character, which
PostgreSQL cannot store, or a lone surrogate, which UTF-8 cannot encode: the domain's one rule of
text (domain.rules.valid_text), applied to what the API reads as well as to what commands store."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import DocumentNode, StringValueNode, Visitor, visit
from graphql.language import ArgumentNode, ObjectFieldNode, VariableDefinitionNode

from domain.errors import ValidationError
from domain.rules import valid_text


def is_text(value: str) -> bool:
    try:
        valid_text(value, "text")
    except ValidationError:
        return False
    return True


def not_text(field: str) -> ValidationError:
    return ValidationError(f"{field} must be text without NUL characters or lone surrogates", field=field)


def require_text_parameters(parameters: Mapping[str, str]) -> None:
    """The path and query parameters of an HTTP route."""
    for name, value in parameters.items():
        if not is_text(value):
            raise not_text(name)


def first_invalid_string(query: str, document: DocumentNode, variables: Mapping[str, Any] | None) -> str | None:
    """The name of the first argument, input field or variable whose string is not valid text."""
    if not is_text(query) or "\\u" in query:  # only then can a literal hold one (raw, or as an escape)
        literals = _Literals()
        visit(document, literals)
        if literals.invalid is not None:
            return literals.invalid
    return _first_invalid_value(variables or {})


class _Literals(Visitor):
    """Walks the document remembering the argument, input field or variable a literal belongs to."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self.invalid: str | None = None

    def enter(self, node: Any, *_: Any) -> Any:
        if isinstance(node, ArgumentNode | ObjectFieldNode):
            self.names.append(node.name.value)
        elif isinstance(node, VariableDefinitionNode):
            self.names.append(node.variable.name.value)
        elif isinstance(node, StringValueNode) and not is_text(node.value):
            self.invalid = self.names[-1] if self.names else "query"
            return self.BREAK
        return None

    def leave(self, node: Any, *_: Any) -> None:
        if isinstance(node, ArgumentNode | ObjectFieldNode | VariableDefinitionNode):
            self.names.pop()


def _first_invalid_value(variables: Mapping[str, Any]) -> str | None:
    """Iterative, not recursive: a variable may nest as deep as JSON allows."""
    pending: list[tuple[str, Any]] = [(name, value) for name, value in variables.items()]
    while pending:
        name, value = pending.pop()
        if isinstance(value, str):
            if not is_text(value):
                return name
        elif isinstance(value, dict):
            for key, item in value.items():
                if not is_text(key):
                    return name
                pending.append((key, item))
        elif isinstance(value, list):
            pending.extend((name, item) for item in value)
    return None
