"""The audit page of a goal: its timeline and an SVG chart of progress and confidence over time.
Pure rendering from timeline rows; every text is escaped."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from projections.goals.rollup import RollUp
from projections.sql import Row

WIDTH, HEIGHT, PAD = 760, 260, 40
STYLE = """body{font-family:sans-serif;margin:24px;color:#111} table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;font-size:13px} th{background:#f3f4f6}
ul{margin:0;padding-left:16px}"""  # the page's only inline resource: its CSP allows this by hash


def progress_of(state: dict[str, Any]) -> float:
    goal = {**state["goal"], "parent_id": None}
    return RollUp([goal], state["key_results"]).progress(str(goal["id"]))


def _points(values: list[float], top: float) -> str:
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    return " ".join(
        f"{PAD + i * step:.1f},{HEIGHT - PAD - (v / top) * (HEIGHT - 2 * PAD):.1f}" for i, v in enumerate(values)
    )


def chart(states: list[Row]) -> str:
    progress = [progress_of(s["state"]) for s in states]
    confidence = [float(s["state"]["goal"]["confidence"] or 0) * 10 for s in states]
    grid = "".join(
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y}" y2="{y}" stroke="#ddd"/>'
        f'<text x="4" y="{y + 4}" font-size="11">{label}</text>'
        for label, y in ((f"{p}%", HEIGHT - PAD - p / 100 * (HEIGHT - 2 * PAD)) for p in (0, 50, 100))
    )
    return (
        f'<svg id="chart" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="Progress and confidence over time">{grid}'
        f'<polyline fill="none" stroke="#2563eb" stroke-width="3" points="{_points(progress, 100)}"/>'
        f'<polyline fill="none" stroke="#ea580c" stroke-width="2" stroke-dasharray="6 4" '
        f'points="{_points(confidence, 100)}"/>'
        f'<text x="{PAD}" y="{HEIGHT - 8}" font-size="12" fill="#2563eb">— progress (%)</text>'
        f'<text x="{PAD + 160}" y="{HEIGHT - 8}" font-size="12" fill="#ea580c">-- confidence (0–10)</text>'
        f'<text x="{WIDTH - PAD - 90}" y="{HEIGHT - 8}" font-size="12">versions 1–{len(states)}</text></svg>'
    )


def _label(field: str, titles: dict[str, str]) -> str:
    """`keyResults.<id>.progress` reads as `key result “ARR”: progress`."""
    if field.startswith("keyResults."):
        _, result, name = field.split(".", 2)
        return f"key result “{titles.get(result, result[:8])}”: {name}"
    return field


def _change(change: dict[str, Any], titles: dict[str, str]) -> str:
    def show(value: Any) -> str:
        return "—" if value is None else escape(json.dumps(value, ensure_ascii=False))

    label = escape(_label(change["field"], titles))
    return f"<li><b>{label}</b>: {show(change['before'])} → {show(change['after'])}</li>"


def _row(entry: Row, titles: dict[str, str]) -> str:
    changes = "".join(_change(c, titles) for c in entry["changes"])
    return (
        f"<tr><td>{entry['version']}</td><td>{escape(entry['at'].strftime('%Y-%m-%d %H:%M:%S UTC'))}</td>"
        f"<td>{escape(entry['actor'])}</td><td>{escape(entry['event'])}</td>"
        f"<td><ul>{changes}</ul></td><td>{escape(entry['reason'])}</td></tr>"
    )


def render(goal_id: str, entries: list[Row], states: list[Row]) -> str:
    latest = states[-1]["state"]["goal"]
    titles = {r["id"]: r["title"] for s in states for r in s["state"]["key_results"]}
    title = escape(latest["title"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Audit: {title}</title>
<style>{STYLE}</style></head>
<body><h1>Audit of goal “{title}”</h1>
<p>Goal <code>{escape(goal_id)}</code> · owner {escape(latest["owner_kind"])} <b>{escape(latest["owner_id"])}</b>
 · status <b>{escape(latest["status"])}</b> · progress <b>{progress_of(states[-1]["state"]):g}%</b>
 · {len(entries)} events</p>
<h2>Progress and confidence over time</h2>{chart(states)}
<h2>Timeline</h2><table id="timeline"><thead><tr><th>Version</th><th>When</th><th>Who</th><th>What</th>
<th>Change (before → after)</th><th>Reason</th></tr></thead>
<tbody>{"".join(_row(e, titles) for e in entries)}</tbody></table>
</body></html>"""
