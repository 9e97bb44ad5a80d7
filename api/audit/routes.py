"""HTTP routes of the audit: the goal page and the cycle report (HTML), and exports (CSV / JSON
Lines downloads).

The bearer token comes in the Authorization header or, for links and browsers, in the
`access_token` query parameter (RFC 6750 §2.3)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from api.audit.page import render
from api.audit.queries import require_goal_history_reader
from api.audit.scope import export_scope
from api.context import Services
from api.gate import Gate, integration_refusal
from api.insight.report import report_page
from api.refusals import refusal
from api.resolvers import require_uuid
from api.valid_text import require_text_parameters
from application.audit import require_auditor
from application.identity import Actor
from domain.errors import DomainError
from projections.goals.queries import Viewer
from projections.timeline import queries as audit_reader
from projections.timeline.export import export_lines
from projections.timeline.queries import Scope

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}
STATUS = {"FORBIDDEN": 403, "NOT_FOUND": 404, "VALIDATION": 400}
Text = Annotated[str | None, Query()]


def audit_router(services: Services, gate: Gate) -> APIRouter:
    router = APIRouter(prefix="/audit")

    async def actor(request: Request) -> Actor:
        """Through the gate before anything else is looked at (refused: 401 or 429), then every
        parameter must be valid text (400); a service account's token reads nothing here (403)."""
        token = request.query_params.get("access_token")
        authorization = f"Bearer {token}" if token else request.headers.get("authorization")
        admitted = (await gate.admit(authorization)).actor
        require_text_parameters({**request.path_params, **request.query_params})
        refused = integration_refusal(admitted)
        if refused is not None:
            raise refused
        return admitted

    @router.get("/goals/{goal_id}", response_class=HTMLResponse)
    async def goal_page(goal_id: str, request: Request) -> Response:
        who = await actor(request)
        try:
            goal = require_uuid(goal_id, "goalId")
            async with services.pool.connection() as conn:
                await require_goal_history_reader(conn, who, goal)
                entries = await audit_reader.entries(conn, Scope(goal=goal), after=0, limit=100_000)
                states = await audit_reader.goal_states(conn, goal)
        except DomainError as error:
            return _refused(error)
        return HTMLResponse(render(goal, entries, states))

    @router.get("/cycles/{cycle_id}", response_class=HTMLResponse)
    async def cycle_report(cycle_id: str, request: Request, team: Text = None) -> Response:
        """Any signed-in person: the page shows only the goals they may see."""
        who = await actor(request)
        try:
            cycle = require_uuid(cycle_id, "cycleId")
            async with services.pool.connection() as conn:
                page = await report_page(conn, Viewer(who.id, who.is_admin), cycle, team, services.settings)
        except DomainError as error:
            return _refused(error)
        return HTMLResponse(page)

    @router.get("/export")
    async def export(
        request: Request, goal: Text = None, person: Text = None, cycle: Text = None,
        since: Text = None, until: Text = None, format: str = "jsonl",
    ) -> Response:
        who = await actor(request)
        try:
            require_auditor(who)
            scope = export_scope(goal=goal, person=person, cycle=cycle, since=since, until=until, fmt=format)
        except DomainError as error:
            return _refused(error)

        async def body() -> AsyncIterator[str]:
            async with services.pool.connection() as conn:
                async for text in export_lines(conn, scope, format):
                    yield text

        filename = f"momentum-audit.{format}"
        return StreamingResponse(body(), media_type=MEDIA_TYPES[format],
                                 headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    return router


def _refused(error: DomainError) -> Response:
    return refusal(STATUS.get(error.code, 400), error.message, error.code)
