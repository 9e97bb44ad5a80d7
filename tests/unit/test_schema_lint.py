"""graphql-schema-linter (pinned in tools/schema-lint) finds nothing in the contract: a description
on every type, field, argument, input field and enum value, and a Relay PageInfo and connections."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from graphql import Visitor, parse, print_ast, visit

from api.schema import contract

LINT = Path(__file__).resolve().parents[2] / "tools" / "schema-lint"
LINTER = LINT / "node_modules" / ".bin" / "graphql-schema-linter"
# (the rule that must notice, the type and member whose description is removed)
UNDESCRIBED = [
    ("types-have-descriptions", "Goal", None),
    ("fields-have-descriptions", "Goal", "title"),
    ("arguments-have-descriptions", "Query", "goal.id"),
    ("input-object-values-have-descriptions", "CreateGoalInput", "title"),
    ("enum-values-have-descriptions", "GoalStatus", "DRAFT"),
]


@pytest.fixture(scope="module")
def linter() -> Path:
    if not LINTER.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=LINT, check=True)
    return LINTER


def findings(linter: Path, sdl: str, folder: Path) -> list[dict[str, Any]]:
    schema = folder / "schema.graphql"
    schema.write_text(sdl)
    run = subprocess.run([linter, "-c", LINT, "-f", "json", schema], capture_output=True, text=True, check=False)
    errors: list[dict[str, Any]] = json.loads(run.stdout)["errors"]
    assert (run.returncode == 0) == (errors == []), run.stderr
    return errors


class ForgetDescription(Visitor):
    """Removes the description of `member` of `type_name` (of the type itself when member is None)."""

    def __init__(self, type_name: str, member: str | None) -> None:
        super().__init__()
        self.path = [type_name, *(member.split(".") if member else [])]

    def enter(self, node: Any, key: Any, parent: Any, path: Any, ancestors: Any) -> Any:
        names = [a.name.value for a in ancestors if hasattr(a, "name") and hasattr(a.name, "value")]
        if getattr(node, "description", None) is None or not hasattr(node, "name"):
            return None
        if [*names, node.name.value] != self.path:
            return None
        return node.__class__(**{**{k: getattr(node, k) for k in node.keys}, "description": None})


def test_the_contract_has_no_finding_of_the_description_and_relay_rules(linter: Path, tmp_path: Path) -> None:
    assert findings(linter, contract(), tmp_path) == []


@pytest.mark.parametrize(("rule", "type_name", "member"), UNDESCRIBED)
def test_the_linter_reports_a_missing_description(
    linter: Path, tmp_path: Path, rule: str, type_name: str, member: str | None
) -> None:
    stripped = print_ast(visit(parse(contract()), ForgetDescription(type_name, member)))
    assert [f["rule"] for f in findings(linter, stripped, tmp_path)] == [rule]


def test_the_linter_reports_a_page_info_whose_has_previous_page_may_be_null(linter: Path, tmp_path: Path) -> None:
    sdl = contract().replace("hasPreviousPage: Boolean!", "hasPreviousPage: Boolean")
    assert [f["rule"] for f in findings(linter, sdl, tmp_path)] == ["relay-page-info-spec"]
