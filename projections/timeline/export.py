"""Audit exports: timeline entries as CSV or JSON Lines, a page at a time, for the CLI and HTTP."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection

from projections.timeline import queries as audit_reader
from projections.timeline.queries import Scope

FORMATS = ("csv", "jsonl")
COLUMNS = ("goal_id", "version", "sequence", "at", "actor", "event_type", "reason", "changes",
           "owner_kind", "owner_id", "cycle_id")
PAGE = 1000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as a formula (OWASP)


def plain(row: dict[str, Any]) -> dict[str, Any]:
    return {c: row[c].isoformat() if isinstance(row[c], datetime) else row[c] for c in COLUMNS}


def neutralised(value: Any) -> Any:
    """OWASP's defence against CSV injection: a text cell that starts like a formula gets a
    leading single quote. Numbers (version, sequence) are written by the code, not typed by
    anyone, and stay numbers; every text cell is also quoted (csv_line)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC).writerow([neutralised(v) for v in values])
    return buffer.getvalue()


def line(row: dict[str, Any], fmt: str) -> str:
    record = plain(row)
    if fmt == "jsonl":
        return json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
    record["changes"] = json.dumps(record["changes"], ensure_ascii=False)
    return csv_line([record[c] for c in COLUMNS])


async def export_lines(conn: AsyncConnection[Any], scope: Scope, fmt: str) -> AsyncIterator[str]:
    """The header (CSV) and one line per entry, in global order, read a page at a time."""
    if fmt == "csv":
        yield csv_line(list(COLUMNS))
    after = 0
    while True:
        rows = await audit_reader.entries(conn, scope, after=after, limit=PAGE)
        for row in rows:
            yield line(row, fmt)
        if len(rows) < PAGE:
            return
        after = rows[-1]["sequence"]


