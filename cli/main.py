"""`momentum <command>`: api, relay, projector, awarder, reminders, measurements, run (all six), token,
directory, docs, audit, projections."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cli.arguments import checked, process_count
from cli.serve import collect_garbage_rarely, configure_logging, serve, worker_count
from cli.supervisor import stop_on_signals
from domain.rules import identifier
from settings import Settings

ROOT = Path(__file__).resolve().parent.parent

PROCESSES = ("relay", "projector", "awarder", "reminders", "measurements", "api")  # what `momentum run` supervises


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="momentum", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    api = commands.add_parser("api", help="serve GraphQL on MOMENTUM_API_HOST:MOMENTUM_API_PORT")
    api.add_argument("--workers", type=process_count, help="processes serving the port (default: MOMENTUM_API_WORKERS, "
                     "whose 0 means one per CPU core)")
    commands.add_parser("relay", help="publish stored events to Kafka")
    commands.add_parser("projector", help="apply the Kafka topic to the read models")
    commands.add_parser("awarder", help="record badges and levels the gamification rules grant as events")
    commands.add_parser("reminders", help="record check-ins that became due (CheckInBecameDue) as events")
    commands.add_parser("measurements", help="apply the measurements integrators send to momentum.measurements")
    commands.add_parser(
        "run", help="run the api, the relay, the projector, the awarder, the reminders and the measurement consumer "
        "until Ctrl-C, "
        "restarting any that dies"
    )
    token = commands.add_parser("token", help="print a development token")
    token.add_argument("--sub", default="dev-admin", help="person id (the token's subject)")
    token.add_argument("--roles", default="admin", help="comma-separated role names")
    token.add_argument("--ttl", type=int, default=86400, help="lifetime in seconds")
    directory = commands.add_parser("directory", help="the org directory")
    directory_commands = directory.add_subparsers(dest="directory_command", required=True)
    importing = directory_commands.add_parser("import", help="import people and teams")
    importing.add_argument("file", type=Path, help=".csv or .json; see docs/directory-import.md")
    docs = commands.add_parser("docs", help="generated documentation")
    docs_commands = docs.add_subparsers(dest="docs_command", required=True)
    events = docs_commands.add_parser(
        "events", help="write docs/events.md, docs/events/*.json (JSON Schemas) and docs/asyncapi.yaml from the code"
    )
    events.add_argument("--check", action="store_true", help="fail if the file is out of date")
    schema = docs_commands.add_parser("schema", help="write schema.graphql (the GraphQL contract) from the code")
    schema.add_argument("--check", action="store_true", help="fail if the file is out of date")
    settings_doc = docs_commands.add_parser("settings", help="write README.md's settings table from settings/config.py")
    settings_doc.add_argument("--check", action="store_true", help="fail if the table is out of date")
    people = commands.add_parser("people", help="people's personal data")
    people_commands = people.add_subparsers(dest="people_command", required=True)
    erase = people_commands.add_parser("erase", help="forget a person's data key: their private content is erased")
    erase.add_argument("person_id", type=checked(identifier, "person id"), help="the directory id of the person")
    from cli import audit

    audit.add_commands(commands)
    args = parser.parse_args(argv)

    settings = Settings()
    configure_logging(settings)
    if args.command == "token":
        from api.auth import issue_token

        roles = [r for r in args.roles.split(",") if r]
        print(issue_token(settings, args.sub, roles, args.ttl))
        return 0
    if args.command == "directory":
        return _import_directory(settings, args.file)
    if args.command in ("audit", "projections"):
        return audit.run(settings, args)
    if args.command == "docs":
        if args.docs_command == "events":
            return _event_docs(args.check)
        if args.docs_command == "settings":
            return _settings_doc(args.check)
        return _schema_doc(args.check)
    if args.command == "people":
        return _erase_person(settings, args.person_id)
    if args.command == "api":
        serve(settings, worker_count(settings, args.workers))
        return 0
    if args.command in ("relay", "projector", "awarder", "reminders", "measurements"):
        from bootstrap import build_awarder, build_measurement_consumer, build_projector, build_relay, build_reminders

        builders: dict[str, Callable[[Settings], Any]] = {
            "relay": build_relay, "projector": build_projector, "awarder": build_awarder, "reminders": build_reminders,
            "measurements": build_measurement_consumer,
        }
        consumer = builders[args.command](settings)
        collect_garbage_rarely()
        consumer.run(stop_on_signals())
        return 0
    return _run_all(settings)


def _import_directory(settings: Settings, path: Path) -> int:
    from application.directory_import import import_directory
    from bootstrap import build_momentum

    app = build_momentum(settings)
    try:
        report = import_directory(app, path)
    finally:
        app.close()
    for error in report.errors:
        print(f"{path}: {error}", file=sys.stderr)
    if report.errors:
        print(f"momentum: nothing imported, {len(report.errors)} problem(s)", file=sys.stderr)
        return 1
    counts = report.counts
    print(
        f"imported: {counts['registered']} registered, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged"
    )
    return 0


def _event_docs(check: bool) -> int:
    from contracts import contract_docs

    docs = ROOT / "docs"
    if check:
        stale = contract_docs.stale(docs)
        for path in stale:
            print(f"docs/{path} is out of date: run `momentum docs events`", file=sys.stderr)
        return 1 if stale else 0
    written = contract_docs.write(docs)
    print(f"wrote {len(written)} files under {docs}")
    return 0


def _erase_person(settings: Settings, person_id: str) -> int:
    from bootstrap import build_momentum, connector, prepare_read_models, read_models
    from consumers.erasure import erase_person

    prepare_read_models(settings)
    app = build_momentum(settings)
    try:
        with connector(settings)() as conn:
            had_key = erase_person(conn, settings.kafka_topic, person_id, app, settings.event_source, read_models())
    finally:
        app.close()
    print(f"erased {person_id}: " + ("key deleted" if had_key else "no key existed; none will be created"))
    return 0


def _schema_doc(check: bool) -> int:
    """schema.graphql, written from the code, or checked against it."""
    from api.schema import contract

    return _write_or_check(ROOT / "schema.graphql", contract(), "momentum docs schema", check)


def _settings_doc(check: bool) -> int:
    """README.md's settings table, written from `Settings`, or checked against it."""
    from settings.readme import with_table

    target = ROOT / "README.md"
    return _write_or_check(target, with_table(target.read_text()), "momentum docs settings", check)


def _write_or_check(target: Path, text: str, command: str, check: bool) -> int:
    """Write a generated file, or with `check` fail (1) if the file on disk differs."""
    if check:
        if not target.exists() or target.read_text() != text:
            print(f"{target} is out of date: run `{command}`", file=sys.stderr)
            return 1
        return 0
    target.write_text(text)
    print(f"wrote {target}")
    return 0


def _run_all(settings: Settings) -> int:
    """Start every process, report where to go, restart any that dies, stop them all on Ctrl-C."""
    from api.auth import issue_token
    from cli.supervisor import supervise

    stop = stop_on_signals()
    url = f"http://{settings.api_host}:{settings.api_port}/graphql"
    print(f"\nGraphiQL: {url}\nDevelopment token (admin):\n  {issue_token(settings, 'dev-admin', ['admin'])}")
    print('Send it as the header {"Authorization": "Bearer <token>"}. Ctrl-C stops everything.\n', flush=True)
    supervise(list(PROCESSES), stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
