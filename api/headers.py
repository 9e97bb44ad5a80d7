"""What a browser is told about every HTTP response: security headers (nosniff, no referrer, no
framing), a content security policy for each HTML page that allows exactly what the page loads,
and CORS only for the origins MOMENTUM_CORS_ORIGINS lists (none by default: no CORS headers)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from html.parser import HTMLParser
from urllib.parse import urlsplit

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.audit import page as audit_page
from api.context import CONSISTENCY_HEADER
from api.insight import report as cycle_report
from api.middleware import HttpMiddleware
from settings import Settings

ALWAYS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",  # audit links carry access_token: never pass URLs on
    "x-frame-options": "DENY",
}
API_POLICY = "default-src 'none'; frame-ancestors 'none'"  # JSON, CSV and any page not listed
PAGE_DIRECTIVES = "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


class _Loads(HTMLParser):
    """The scripts, stylesheets and icons a page loads, and its inline scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.images: list[str] = []
        self.inline: dict[str, list[str]] = {"script": [], "style": []}
        self._open: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "script" and found.get("src"):
            self.scripts.append(found["src"])
        elif tag in self.inline:
            self._open = (tag, [])
        elif tag == "link" and found.get("rel") == "stylesheet":
            self.styles.append(found["href"])
        elif tag == "link" and found.get("rel") == "icon":
            self.images.append("data:" if found["href"].startswith("data:") else found["href"])

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and self._open[0] == tag:
            self.inline[tag].append("".join(self._open[1]))
            self._open = None


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _source(url: str) -> str:
    """A CSP source for `url`: itself, or 'self' for a path on this API (a path is no source)."""
    return url if urlsplit(url).netloc else "'self'"


def _sources(urls: list[str]) -> list[str]:
    return list(dict.fromkeys(_source(url) for url in urls))


def page_policy(html: str, *, connects: bool = False, runtime_styles: bool = False) -> str:
    """The CSP that lets `html` load what it names and nothing else. `connects`: it calls this
    API (fetch and websocket, same origin); `runtime_styles`: its scripts set inline styles,
    which only 'unsafe-inline' allows (hashes would switch it off)."""
    loads = _Loads()
    loads.feed(html)
    scripts = _sources(loads.scripts) + [csp_hash(s) for s in loads.inline["script"]]
    styles = _sources(loads.styles) + (
        ["'unsafe-inline'"] if runtime_styles else [csp_hash(s) for s in loads.inline["style"]]
    )
    style_origins = sorted({_source(f"{u.scheme}://{u.netloc}" if u.netloc else u.path)
                            for u in map(urlsplit, loads.styles)})
    fonts = [*style_origins, "data:"] if loads.styles else []  # fonts the stylesheets name
    directives = {"default-src": ["'none'"], "script-src": scripts, "style-src": styles, "img-src": loads.images,
                  "font-src": fonts, "connect-src": ["'self'"] if connects else []}
    listed = [f"{name} {' '.join(sources)}" for name, sources in directives.items() if sources]
    return "; ".join([*listed, PAGE_DIRECTIVES])


def page_policies(graphiql_html: str) -> dict[str, str]:
    """The HTML pages this API serves, by path prefix: GraphiQL, the audit page of a goal and the
    report of a cycle."""
    return {
        "/graphql": page_policy(graphiql_html, connects=True, runtime_styles=True),
        "/audit/goals/": page_policy(f"<style>{audit_page.STYLE}</style>"),
        "/audit/cycles/": page_policy(f"<style>{cycle_report.STYLE}</style>"),
    }


class SecurityHeaders(HttpMiddleware):
    """Every HTTP response gets ALWAYS, and a content security policy (`pages`' for an HTML
    response under a listed path, API_POLICY otherwise), unless the response set its own."""

    def __init__(self, app: ASGIApp, pages: Mapping[str, str]) -> None:
        super().__init__(app)
        self.pages = pages

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers.setdefault(name, value)
                headers.setdefault("content-security-policy", self._policy(scope["path"], headers))
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _policy(self, path: str, headers: MutableHeaders) -> str:
        if headers.get("content-type", "").startswith("text/html"):
            return next((p for prefix, p in self.pages.items() if path.startswith(prefix)), API_POLICY)
        return API_POLICY


def add_browser_policies(app: FastAPI, settings: Settings, graphiql_html: str) -> None:
    """Outermost, so that refusals of the inner middleware carry the headers too."""
    if settings.cors_origin_list:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origin_list, allow_methods=["GET", "POST"],
                           allow_headers=["authorization", "content-type", CONSISTENCY_HEADER],
                           expose_headers=["x-request-id", "retry-after"], max_age=600)
    app.add_middleware(SecurityHeaders, pages=page_policies(graphiql_html))
