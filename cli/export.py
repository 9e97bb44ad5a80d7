"""`momentum audit export`: timeline entries of a goal, person or cycle to a file or stdout."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TextIO

from psycopg import AsyncConnection

from api.audit.scope import export_scope
from domain.errors import ValidationError
from projections.timeline.export import export_lines
from projections.timeline.queries import Scope
from settings import Settings


async def _write(settings: Settings, scope: Scope, fmt: str, out: TextIO) -> int:
    count = 0
    async with await AsyncConnection.connect(settings.database_url) as conn:
        async for text in export_lines(conn, scope, fmt):
            out.write(text)
            count += 1
    return count - (1 if fmt == "csv" else 0)


def export(settings: Settings, args: argparse.Namespace) -> int:
    try:
        scope = export_scope(goal=args.goal, person=args.person, cycle=args.cycle,
                             since=args.since, until=args.until, fmt=args.format)
    except ValidationError as error:
        print(f"momentum: {error.message}", file=sys.stderr)
        return 2
    if args.output is None:
        count = asyncio.run(_write(settings, scope, args.format, sys.stdout))
    else:
        with args.output.open("w", encoding="utf-8", newline="") as out:
            count = asyncio.run(_write(settings, scope, args.format, out))
    print(f"exported {count} entries", file=sys.stderr)
    return 0
