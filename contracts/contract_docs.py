"""Every generated contract file under docs/: events.md, events/<type>.json, the measurement
message's schema (events/measurement-message.json) and asyncapi.yaml."""

from __future__ import annotations

import json
from pathlib import Path

from contracts import asyncapi, event_catalog, measurement_message
from contracts.event_schemas import all_schemas


def generated() -> dict[str, str]:
    """Relative path under docs/ → content."""
    files = {"events.md": event_catalog.render(), "asyncapi.yaml": asyncapi.render()}
    schemas = all_schemas()
    files["events/index.json"] = _json({"schemas": [f"{name}.json" for name in schemas]})
    for name, schema in schemas.items():
        files[f"events/{name}.json"] = _json(schema)
    files[f"events/{measurement_message.FILE}"] = _json(measurement_message.schema())
    return files


def stale(docs: Path) -> list[str]:
    """Generated files missing or different on disk, and stray schema files."""
    files = generated()
    wrong = [p for p, text in files.items() if not (docs / p).exists() or (docs / p).read_text() != text]
    strays = [f"events/{p.name}" for p in (docs / "events").glob("*.json") if f"events/{p.name}" not in files]
    return sorted(wrong + strays)


def write(docs: Path) -> list[str]:
    (docs / "events").mkdir(parents=True, exist_ok=True)
    for stray in (docs / "events").glob("*.json"):
        stray.unlink()
    files = generated()
    for path, text in files.items():
        (docs / path).write_text(text)
    return sorted(files)


def _json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
