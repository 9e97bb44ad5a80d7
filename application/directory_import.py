"""Import the org directory from CSV or JSON: every bad row is reported by its line, and a
file with any bad row imports nothing. Importing the same file again changes nothing."""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from application.identity import Actor
from application.momentum import Momentum
from domain.directory import Person, Team
from domain.errors import DomainError
from domain.rules import valid_text

COLUMNS = ("kind", "id", "name", "email", "manager", "team", "lead")
IMPORTER = Actor("directory-import", frozenset({"admin"}))


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str | None]

    def get(self, name: str) -> str | None:
        value = self.values.get(name)
        return value.strip() or None if isinstance(value, str) else None


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def read_rows(path: Path) -> list[Row]:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        return _json_rows(text)
    reader = csv.DictReader(io.StringIO(text))
    return [Row(reader.line_num, {k: v for k, v in r.items() if k is not None}) for r in reader]


def _json_rows(text: str) -> list[Row]:
    """A JSON array of objects; each keeps the line its object starts on."""
    decoder = json.JSONDecoder()
    start = text.index("[") + 1 if "[" in text else 0
    rows: list[Row] = []
    position = start
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] == "]":
            return rows
        line = text.count("\n", 0, position) + 1
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise ValueError(f"line {error.lineno}: not valid JSON: {error.msg}") from None
        values = value if isinstance(value, dict) else {"kind": None}
        rows.append(Row(line, {k: _cell(v, k, line) for k, v in values.items()}))


def _cell(value: object, column: str, line: int) -> str | None:
    """A JSON value as the text of its column: an object, an array, a boolean, NaN or a number too
    large for a float (1e400 is infinity) would otherwise become the text of what it computes to."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"line {line}: {column} must be text, a finite number or null")
    return str(value)


def check(app: Momentum, rows: list[Row]) -> list[str]:
    """Every problem of every row, as `line N: problem`."""
    errors: list[str] = []
    people = {r.get("id"): r for r in rows if r.get("kind") == "person"}
    teams = {r.get("id"): r for r in rows if r.get("kind") == "team"}
    seen: Counter[tuple[str | None, str | None]] = Counter(
        (r.get("kind"), r.get("id")) for r in rows
    )
    for row in rows:
        errors += [
            f"line {row.line}: {problem}"
            for problem in _row_problems(app, row, people, teams, seen)
        ]
    return errors


def _row_problems(
    app: Momentum, row: Row, people: dict[Any, Row], teams: dict[Any, Row], seen: Counter[Any]
) -> list[str]:
    kind, row_id = row.get("kind"), row.get("id")
    if kind not in ("person", "team"):
        return ["kind must be person or team"]
    problems = _not_text(row)
    if problems:  # an id that is not text cannot even be looked up
        return problems
    if row_id is not None and seen[(kind, row_id)] > 1:
        problems.append(f"{kind} {row_id!r} appears more than once")
    try:
        if kind == "person":
            Person.register(
                person_id=row_id or "",
                name=row.get("name") or "",
                email=row.get("email") or "",
                manager_id=row.get("manager"),
                team_id=row.get("team"),
                actor=IMPORTER.id,
            )
        else:
            Team.register(
                team_id=row_id or "",
                name=row.get("name") or "",
                lead_id=row.get("lead"),
                actor=IMPORTER.id,
            )
    except DomainError as error:
        problems.append(f"{error.field or kind}: {error.message}")
    references = {"manager": people, "lead": people, "team": teams}
    for column in ("manager", "team") if kind == "person" else ("lead",):
        wanted = row.get(column)
        if (
            wanted is not None
            and wanted not in references[column]
            and not _known(app, column, wanted)
        ):
            problems.append(f"{column}: {wanted!r} is neither in the file nor in the directory")
    if kind == "person" and row_id is not None and _manager_loop(app, row_id, people):
        problems.append("manager: the manager chain loops back to this person")
    return problems


def _not_text(row: Row) -> list[str]:
    problems = []
    for column, value in row.values.items():
        try:
            valid_text(value or "", column)
        except DomainError as error:
            problems.append(f"{column}: {error.message}")
    return problems


def _known(app: Momentum, column: str, wanted: str) -> bool:
    found = app.directory.find_team(wanted) if column == "team" else app.directory.find_person(wanted)
    return found is not None and found.active


def _manager_loop(app: Momentum, person_id: str, people: dict[Any, Row]) -> bool:
    seen, current = {person_id}, people[person_id].get("manager")
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        if current in people:
            current = people[current].get("manager")
        else:
            known = app.directory.find_person(current)
            current = None if known is None else known.manager_id
    return False


def apply(app: Momentum, rows: list[Row]) -> Counter[str]:
    """Teams first (a lead not yet registered is set afterwards), then people, managers first."""
    counts: Counter[str] = Counter()
    teams = [r for r in rows if r.get("kind") == "team"]
    new_teams: set[str] = set()
    for row in teams:
        team_id, name, lead = row.get("id") or "", row.get("name") or "", row.get("lead")
        existing = app.directory.find_team(team_id)
        if existing is None:
            ready = lead if lead is not None and app.directory.find_person(lead) is not None else None
            app.directory.register_team(IMPORTER, team_id=team_id, name=name, lead_id=ready)
            counts["registered"] += 1
            new_teams.add(team_id)
    for row in _managers_first([r for r in rows if r.get("kind") == "person"]):
        fields: dict[str, Any] = {
            "name": row.get("name") or "",
            "email": row.get("email") or "",
            "manager_id": row.get("manager"),
            "team_id": row.get("team"),
        }
        person_id = row.get("id") or ""
        if app.directory.find_person(person_id) is None:
            app.directory.register_person(IMPORTER, person_id=person_id, **fields)
            counts["registered"] += 1
        else:
            _count(counts, app.directory.update_person(IMPORTER, person_id, **fields).sequence)
    for row in teams:
        stored = app.directory.update_team(
            IMPORTER, row.get("id") or "", name=row.get("name") or "", lead_id=row.get("lead")
        )
        _count(counts, stored.sequence)
    return counts


def _count(counts: Counter[str], sequence: int | None) -> None:
    counts["updated" if sequence is not None else "unchanged"] += 1


def _managers_first(people: list[Row]) -> list[Row]:
    """Each person after their manager; a chain is walked upwards in a loop (it may be longer
    than Python's recursion limit)."""
    by_id = {r.get("id"): r for r in people}
    ordered: list[Row] = []
    placed: set[Any] = set()
    for row in people:
        chain: list[Row] = []
        current: Row | None = row
        while current is not None and current.get("id") not in placed:
            placed.add(current.get("id"))
            chain.append(current)
            current = by_id.get(current.get("manager"))
        ordered += reversed(chain)
    return ordered


def import_directory(app: Momentum, path: Path) -> Report:
    report = Report()
    try:
        rows = read_rows(path)
    except (ValueError, OSError, csv.Error) as error:
        report.errors.append(str(error))
        return report
    except RecursionError:
        report.errors.append("not valid JSON: nested too deeply")
        return report
    if not rows:
        report.errors.append("the file has no rows")
        return report
    report.errors = check(app, rows)
    if not report.errors:
        report.counts = apply(app, rows)
    return report
