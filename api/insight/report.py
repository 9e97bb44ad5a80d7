"""The cycle report page: the cycle's health now, a burn-up chart (SVG) of the weighted roll-up
against the linear pace, and the goals counted, all as the viewer may see them. Every text is
escaped; the page loads nothing and runs no script."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

from psycopg import AsyncConnection

from api.insight import reads
from api.insight.health import goal_health, span_of
from api.insight.series import Point
from projections.goals.queries import Viewer
from projections.sql import Row
from settings import Settings

WIDTH, HEIGHT, PAD = 760, 280, 44
CHART_POINTS = 100
PROGRESS_COLOUR, PACE_COLOUR = "#2563eb", "#9ca3af"
STYLE = """body{font-family:sans-serif;margin:24px;color:#111} table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px;text-align:left} th{background:#f3f4f6}"""  # CSP: by hash
COUNTS = (("goals", "Goals"), ("on_track", "On track"), ("at_risk", "At risk"), ("off_track", "Off track"),
          ("not_started", "Not started"), ("done", "Done"), ("stale", "Stale"),
          ("missing_check_ins", "Missing check-ins"))


def chart_moments(start: datetime, last: datetime) -> list[datetime]:
    """CHART_POINTS moments, evenly from the cycle's start to `last` (now, or the cycle's end)."""
    if last <= start:
        return [start]
    step = (last - start) / (CHART_POINTS - 1)
    return [start + k * step for k in range(CHART_POINTS - 1)] + [last]


def _x(at: datetime, start: datetime, end: datetime) -> float:
    return PAD + (at - start) / (end - start) * (WIDTH - 2 * PAD)


def _y(percent: float) -> float:
    return HEIGHT - PAD - percent / 100 * (HEIGHT - 2 * PAD)


def chart(points: list[Point], start: datetime, end: datetime, last_day: str) -> str:
    known = [(_x(p.at, start, end), _y(p.progress)) for p in points if p.progress is not None]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in known)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{PROGRESS_COLOUR}"/>' for x, y in known[-1:])
    grid = "".join(
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{_y(p):.1f}" y2="{_y(p):.1f}" stroke="#e5e7eb"/>'
        f'<text x="4" y="{_y(p) + 4:.1f}" font-size="11">{p}%</text>' for p in (0, 25, 50, 75, 100)
    )
    return (
        f'<svg id="burnup" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="Burn-up: progress against the linear pace">{grid}'
        f'<line x1="{PAD}" y1="{_y(0):.1f}" x2="{WIDTH - PAD}" y2="{_y(100):.1f}" stroke="{PACE_COLOUR}" '
        f'stroke-width="2" stroke-dasharray="6 4"/>'
        f'<polyline id="progress" fill="none" stroke="{PROGRESS_COLOUR}" stroke-width="4" points="{line}"/>{dots}'
        f'<text x="{PAD}" y="{HEIGHT - 10}" font-size="12">{escape(start.date().isoformat())}</text>'
        f'<text x="{WIDTH - PAD - 70}" y="{HEIGHT - 10}" font-size="12">{escape(last_day)}</text>'
        f'<text x="{PAD + 150}" y="{HEIGHT - 10}" font-size="12" fill="{PROGRESS_COLOUR}">— progress (%)</text>'
        f'<text x="{PAD + 280}" y="{HEIGHT - 10}" font-size="12" fill="#6b7280">-- linear pace</text></svg>'
    )


def _goal_row(goal: Row, progress: float, health: str | None) -> str:
    label = "—" if health is None else health.replace("_", " ")
    return (f"<tr><td>{escape(goal['title'])}</td><td>{escape(goal['owner_kind'])} {escape(goal['owner_id'])}</td>"
            f"<td>{progress:g}%</td><td>{escape(label)}</td><td>{escape(goal['status'])}</td></tr>")


def render(cycle: Row, team_id: str | None, health: dict[str, Any], goals: list[tuple[Row, float, str | None]],
           points: list[Point]) -> str:
    start, end = span_of(cycle).bounds()
    name = escape(cycle["name"])
    team = "" if team_id is None else f" · team <b>{escape(team_id)}</b>"
    as_of = health["at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    counts = "".join(f"<tr><th>{label}</th><td>{health[key]}</td></tr>" for key, label in COUNTS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Cycle report: {name}</title>
<style>{STYLE}</style></head>
<body><h1>Cycle report: {name}</h1>
<p>{escape(str(cycle["starts_on"]))} – {escape(str(cycle["ends_on"]))} ({escape(cycle["timezone"])}){team}
 · as of {escape(as_of)} · expected progress <b>{health["expected_progress"]:g}%</b></p>
<h2>Health</h2><table id="health">{counts}</table>
<h2>Burn-up</h2>{chart(points, start, end, str(cycle["ends_on"]))}
<h2>Goals</h2><table id="goals"><thead><tr><th>Goal</th><th>Owner</th><th>Progress</th><th>Health</th>
<th>Lifecycle</th></tr></thead><tbody>{"".join(_goal_row(*g) for g in goals)}</tbody></table>
</body></html>"""


async def report_page(
    conn: AsyncConnection[Any], viewer: Viewer, cycle_id: str, team_id: str | None, settings: Settings
) -> str:
    cycle = await reads.cycle_row(conn, cycle_id)
    await reads.require_team(conn, team_id)
    visible = await reads.visible_goals(conn, viewer, cycle, team_id)
    health = reads.health_counts(visible, cycle, settings, settings.now())
    goals = [(g, progress, goal_health(g, progress, health["expected_progress"], settings)) for g, progress in visible]
    start, end = span_of(cycle).bounds()
    points = await reads.cycle_series(conn, viewer, cycle, team_id, chart_moments(start, min(health["at"], end)))
    return render(cycle, team_id, health, goals, points)
