"""`momentum audit …` and `momentum projections …`: argument parsing and dispatch."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cli.arguments import checked, process_count
from domain.rules import valid_text
from settings import Settings

if TYPE_CHECKING:
    from application.momentum import Momentum

SYSTEM_AUDITOR = "momentum-audit"


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    audit = commands.add_parser("audit", help="tamper evidence and exports")
    sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = sub.add_parser("verify", help="recompute the hash chains; report the first break")
    verify.add_argument("--source", choices=("store", "topic", "both"), default="both")
    verify.add_argument("--topic", help="the topic to verify (default MOMENTUM_KAFKA_TOPIC)")
    checkpoint = sub.add_parser("checkpoint", help="checkpoint every chain head into the event store")
    checkpoint.add_argument("--every", type=float, help="keep checkpointing every this many seconds (when "
                            "events were stored since the last one) until interrupted")
    export = sub.add_parser("export", help="goal timelines as CSV or JSON Lines")
    scope = export.add_mutually_exclusive_group(required=True)
    scope.add_argument("--goal")
    scope.add_argument("--person")
    scope.add_argument("--cycle")
    export.add_argument("--since", help="ISO date-time (inclusive)")
    export.add_argument("--until", help="ISO date-time (exclusive)")
    export.add_argument("--format", choices=("csv", "jsonl"), default="jsonl")
    export.add_argument("--output", type=Path, help="file to write (default: standard output)")
    projections = commands.add_parser("projections", help="rebuild and verify read models")
    psub = projections.add_subparsers(dest="projections_command", required=True)
    rebuild = psub.add_parser("rebuild", help="rebuild from offset 0 into a fresh schema, then switch")
    rebuild.add_argument("name", nargs="?", help="one projection (default: all)")
    rebuild.add_argument("--max-events", type=int, help="stop after this many events (resume later)")
    rebuild.add_argument("--processes", type=process_count, default=1,
                         help="catch up with this many processes, each on its share of the partitions (default 1)")
    pverify = psub.add_parser("verify", help="compare live and rebuilt checksums")
    pverify.add_argument("name", nargs="?", help="one projection (default: all)")
    parked = psub.add_parser("quarantine", help="events a fold could not apply, parked with their aggregate")
    qsub = parked.add_subparsers(dest="quarantine_command", required=True)
    qsub.add_parser("list", help="show the parked events, with the error of each")
    again = qsub.add_parser("retry", help="apply the parked events again, in order, once the fold is fixed")
    again.add_argument("aggregate_id", nargs="?", type=checked(valid_text, "aggregate id"),
                       help="one aggregate (default: every parked one)")


def run(settings: Settings, args: argparse.Namespace) -> int:
    if args.command == "projections":
        from cli.projections import quarantine, rebuild, verify

        if args.projections_command == "rebuild":
            return rebuild(settings, args.name, args.max_events, args.processes)
        if args.projections_command == "quarantine":
            return quarantine(settings, args.quarantine_command, getattr(args, "aggregate_id", None))
        return verify(settings, args.name)
    if args.audit_command == "export":
        from cli.export import export

        return export(settings, args)
    from bootstrap import build_momentum

    app = build_momentum(settings)
    try:
        if args.audit_command == "checkpoint":
            return _checkpoints(app, args.every)
        return _verify(app, settings, args.source, args.topic)
    finally:
        app.close()


def _checkpoints(app: Momentum, every: float | None) -> int:
    from application.identity import Actor
    from cli.supervisor import stop_on_signals

    stop = stop_on_signals()
    auditor = Actor(SYSTEM_AUDITOR, frozenset({"auditor"}))
    last: int | None = -1
    while not stop.is_set():
        if app.recorder.max_notification_id() != last:
            stored = app.audit.take_checkpoint(auditor)
            last = stored.sequence
            print(f"checkpoint {stored.aggregate_id} stored at sequence {stored.sequence}", flush=True)
        if every is None:
            return 0
        stop.wait(every)
    return 0


def _verify(app: Momentum, settings: Settings, source: str, topic: str | None) -> int:
    from consumers.chain_verify import verify_store, verify_topic

    reports = []
    if source in ("store", "both"):
        reports.append(("event store", verify_store(app, settings)))
    if source in ("topic", "both"):
        reports.append((f"topic {topic or settings.kafka_topic}", verify_topic(app, settings, topic)))
    broken = False
    for name, report in reports:
        if report.first_break is None:
            print(f"{name}: intact ({report.events} events, {report.aggregates} aggregates, "
                  f"{report.checkpoints} checkpoints)")
        else:
            broken = True
            print(f"{name}: {report.first_break.describe()}")
            print(f"{name}: {len(report.breaks)} break(s) in all", file=sys.stderr)
    return 1 if broken else 0
