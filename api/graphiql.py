"""GraphiQL without the internet: strawberry's GraphiQL page, with the scripts and styles it
loads from unpkg.com served by the API itself from /graphiql-assets/.

`make install` installs them from the npm registry (web/graphiql/package.json, the exact
versions strawberry's page names, so the page's subresource-integrity hashes still hold and the
browser checks every file). MOMENTUM_GRAPHIQL_ASSETS=cdn keeps the page as strawberry ships it."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from strawberry.http.ides import get_graphql_ide_html

log = logging.getLogger(__name__)
ASSETS = Path(__file__).resolve().parent.parent / "web" / "graphiql" / "node_modules"
PREFIX = "/graphiql-assets/"
# https://unpkg.com/<package>@<version>/<file>, the package possibly scoped (@graphiql/plugin-explorer)
CDN_URL = re.compile(r"https://unpkg\.com/((?:@[\w.-]+/)?[\w.-]+)@([\w.-]+)/([\w./-]+)")


class GraphiQLPage:
    """The page and, with local assets, the route that serves exactly the files it names."""

    def __init__(self, assets: str, directory: Path = ASSETS) -> None:
        cdn_page = get_graphql_ide_html("graphiql")
        self.local = assets == "local"
        self.html = CDN_URL.sub(lambda m: PREFIX + m[0].removeprefix("https://unpkg.com/"), cdn_page)
        self.files = {
            m[0].removeprefix("https://unpkg.com/"): directory / m[1] / m[3] for m in CDN_URL.finditer(cdn_page)
        }
        if not self.local:
            self.html = cdn_page
        elif missing := sorted(str(path) for path in self.files.values() if not path.is_file()):
            log.warning("GraphiQL assets are missing (%s): run `make install`, or set "
                        "MOMENTUM_GRAPHIQL_ASSETS=cdn; until then the page stays blank", ", ".join(missing))

    def installed_on(self, router: Any) -> Any:
        """The GraphQL router, rendering this page instead of strawberry's own."""

        async def render_graphql_ide(_: Request) -> HTMLResponse:
            return HTMLResponse(self.html)

        router.render_graphql_ide = render_graphql_ide
        return router

    def assets_router(self) -> APIRouter:
        router = APIRouter(include_in_schema=False)
        if not self.local:
            return router

        @router.get(PREFIX + "{asset:path}")
        async def asset(asset: str) -> FileResponse:
            path = self.files.get(asset)
            if path is None or not path.is_file():
                raise HTTPException(404, "no such GraphiQL asset")
            return FileResponse(path, headers={"Cache-Control": "public, max-age=31536000, immutable"})

        return router
