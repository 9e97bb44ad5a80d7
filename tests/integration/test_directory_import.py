"""`momentum directory import`: idempotent, every bad row reported by line, all or nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from application.directory_import import import_directory
from application.momentum import Momentum
from settings import Settings
from tests.integration.org import stored_count
from tests.stack import run_cli

GOOD_CSV = """kind,id,name,email,manager,team,lead
team,core,Core,,,,maya
person,ada,Ada Lovelace,ada@example.com,maya,core,
person,maya,Maya,maya@example.com,,core,
team,ops,Ops,,,,
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_good_csv_imports_once_and_again_changes_nothing(
    momentum: Momentum, tmp_path: Path
) -> None:
    path = write(tmp_path, "org.csv", GOOD_CSV)
    report = import_directory(momentum, path)
    assert report.errors == []
    assert report.counts["registered"] == 4
    ada = momentum.directory.get_person("ada")
    assert (ada.manager_id, ada.team_id, momentum.directory.get_team("core").lead_id) == (
        "maya",
        "core",
        "maya",
    )
    before = stored_count(momentum)
    again = import_directory(momentum, path)
    assert again.errors == [] and again.counts["registered"] == 0 and again.counts["updated"] == 0
    assert stored_count(momentum) == before


def test_a_changed_row_updates_only_that_person(momentum: Momentum, tmp_path: Path) -> None:
    import_directory(momentum, write(tmp_path, "org.csv", GOOD_CSV))
    changed = GOOD_CSV.replace("Ada Lovelace", "Ada King")
    report = import_directory(momentum, write(tmp_path, "org2.csv", changed))
    assert (report.counts["updated"], report.counts["registered"]) == (1, 0)
    assert momentum.directory.get_person("ada").name == "Ada King"


def test_every_bad_row_is_reported_by_line_and_nothing_is_imported(
    momentum: Momentum, tmp_path: Path
) -> None:
    bad = GOOD_CSV + (
        "person,bob,Bob,not-an-email,,,\n"
        "robot,r2,R2,,,,\n"
        "person,cy,Cy,cy@example.com,ghost,,\n"
        "person,ada,Ada again,ada2@example.com,,,\n"
        "person,x1,X,x1@example.com,x2,,\n"
        "person,x2,X,x2@example.com,x1,,\n"
    )
    report = import_directory(momentum, write(tmp_path, "bad.csv", bad))
    lines = sorted({int(e.split(":")[0].removeprefix("line ")) for e in report.errors})
    assert lines == [3, 6, 7, 8, 9, 10, 11], report.errors
    assert any("email" in e for e in report.errors if e.startswith("line 6:"))
    assert stored_count(momentum) == 0


def test_json_rows_are_reported_by_the_line_they_start_on(
    momentum: Momentum, tmp_path: Path
) -> None:
    rows = [
        {"kind": "team", "id": "core", "name": "Core"},
        {"kind": "person", "id": "ada", "name": "Ada", "email": "ada@example.com", "team": "core"},
        {"kind": "person", "id": "bob", "name": "", "email": "bob@example.com"},
    ]
    text = "[\n" + ",\n".join(json.dumps(r) for r in rows) + "\n]\n"
    report = import_directory(momentum, write(tmp_path, "org.json", text))
    assert [e.split(":")[0] for e in report.errors] == ["line 4"]
    assert stored_count(momentum) == 0
    good = import_directory(
        momentum, write(tmp_path, "ok.json", text.replace('"name": ""', '"name": "Bob"'))
    )
    assert good.errors == [] and good.counts["registered"] == 3


def test_the_cli_exits_non_zero_on_bad_rows_and_reports_them(
    settings: Settings, tmp_path: Path
) -> None:
    def run(path: Path) -> subprocess.CompletedProcess[str]:
        return run_cli(settings, "directory", "import", str(path), timeout=60)

    bad = run(write(tmp_path, "bad.csv", GOOD_CSV + "person,bob,Bob,nope,,,\n"))
    assert bad.returncode == 1 and "line 6" in bad.stderr and "nothing imported" in bad.stderr
    good = run(write(tmp_path, "good.csv", GOOD_CSV))
    assert good.returncode == 0 and "4 registered" in good.stdout, good.stderr


def test_text_that_cannot_be_stored_is_reported_and_nothing_is_imported(momentum: Momentum, tmp_path: Path) -> None:
    rows = [
        {"kind": "person", "id": "p\ud800", "name": "P", "email": "p@example.com"},
        {"kind": "person", "id": "q", "name": "Q\u0000", "email": "q@example.com", "manager": "m\udc00"},
        {"kind": "team", "id": "t", "name": "T", "lead": "l\ud800"},
    ]
    path = tmp_path / "org.json"
    path.write_text(json.dumps(rows, indent=1))  # escaped: a lone surrogate is valid JSON text
    before = stored_count(momentum)
    report = import_directory(momentum, path)
    assert report.errors == [
        "line 2: id: id contains a lone surrogate, which is not text",
        "line 8: name: name contains a NUL character",
        "line 8: manager: manager contains a lone surrogate, which is not text",
        "line 15: lead: lead contains a lone surrogate, which is not text",
    ]
    assert stored_count(momentum) == before


def test_a_json_value_that_is_not_text_a_finite_number_or_null_is_reported_and_nothing_is_imported(
    momentum: Momentum, tmp_path: Path
) -> None:
    before = stored_count(momentum)
    for value in ("NaN", "Infinity", "1e400", '{"a": [1]}', "[1]", "true"):
        path = write(tmp_path, "org.json", f'[\n{{"kind": "person", "id": "p", "name": "P", "email": "p@x.org"}},\n'
                                           f'{{"kind": "person", "id": {value}, "name": "Q", "email": "q@x.org"}}\n]')
        assert import_directory(momentum, path).errors == ["line 3: id must be text, a finite number or null"], value
    assert stored_count(momentum) == before


def test_json_nested_deeper_than_python_can_read_is_reported_and_nothing_is_imported(
    momentum: Momentum, tmp_path: Path
) -> None:
    before = stored_count(momentum)
    report = import_directory(momentum, write(tmp_path, "org.json", "[" + "[" * 100_000 + "]" * 100_001))
    assert report.errors == ["not valid JSON: nested too deeply"]
    assert stored_count(momentum) == before


def test_a_manager_chain_longer_than_the_recursion_limit_imports(momentum: Momentum, tmp_path: Path) -> None:
    length = 150  # longer than the recursion limit set below, which the import itself stays well within
    people = [{"kind": "person", "id": f"p{n}", "name": f"P{n}", "email": f"p{n}@x.org",
               "manager": f"p{n + 1}" if n < length - 1 else None} for n in range(length)]
    path = write(tmp_path, "org.json", json.dumps(people))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(length)  # a chain of 1,500 at the default limit takes minutes to register
    try:
        report = import_directory(momentum, path)
    finally:
        sys.setrecursionlimit(limit)
    assert (report.errors, report.counts["registered"]) == ([], length)
    assert momentum.directory.get_person("p0").manager_id == "p1"
