"""GraphiQL works without the internet: the API serves the page's scripts and styles itself
(MOMENTUM_GRAPHIQL_ASSETS=local, the default), the browser checks them against the page's
integrity hashes, and a person can paste a token into the headers and run a query."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import httpx

from api.auth import issue_token
from settings import Settings
from tests.e2e.browser import chromium
from tests.e2e.client import api_base
from tests.e2e.conftest import api_with
from tests.stack import ROOT

QUERY_EDITOR = "document.querySelector('.graphiql-query-editor .CodeMirror')"
HEADERS_EDITOR = "document.querySelector('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror')"
RESPONSE = "document.querySelector('.graphiql-response .CodeMirror')"


def page(settings: Settings) -> str:
    url = f"{api_base(settings)}/graphql"
    return httpx.get(url, headers={"Accept": "text/html"}, timeout=30).text


def test_graphiql_runs_a_query_with_a_pasted_token_without_the_internet(
    settings: Settings, api: Any, tmp_path: Path
) -> None:
    token = issue_token(settings, "ada", [])
    with chromium(f"{api_base(settings)}/graphql", tmp_path / "profile") as tab:
        tab.wait_for(f"!!{QUERY_EDITOR}", "GraphiQL to render (its scripts come from the API)")
        tab.evaluate(f"{QUERY_EDITOR}.CodeMirror.setValue('{{ me {{ id }} }}')")
        tab.evaluate("[...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Headers').click()")
        tab.wait_for(f"!!{HEADERS_EDITOR}", "the headers editor to open")
        tab.evaluate(f"{HEADERS_EDITOR}.CodeMirror.focus()")
        tab.insert_text(json.dumps({"Authorization": f"Bearer {token}"}))
        assert json.loads(tab.evaluate(f"{HEADERS_EDITOR}.CodeMirror.getValue()")) == {
            "Authorization": f"Bearer {token}"
        }
        # GraphiQL takes an edit into its state (and storage) after a debounce: a click before that
        # runs the page's default document, comments only ("Unexpected <EOF>")
        tab.wait_for("Object.values(localStorage).some(v => v.includes('me { id }'))", "GraphiQL to hold the query")
        tab.evaluate("document.querySelector('.graphiql-execute-button').click()")
        answer = tab.wait_for(f"{RESPONSE} && {RESPONSE}.CodeMirror.getValue()", "the query's answer")
        shot = base64.b64decode(tab.send("Page.captureScreenshot")["data"])
    (ROOT / ".state").mkdir(exist_ok=True)
    (ROOT / ".state" / "graphiql.png").write_bytes(shot)  # for a human to look at
    assert json.loads(answer) == {"data": {"me": {"id": "ada"}}}


def test_the_page_names_only_the_api_and_the_api_serves_only_what_it_names(settings: Settings, api: Any) -> None:
    """Each file the page loads comes from the API, byte for byte what its integrity hash says."""
    html = page(settings)
    assert "unpkg.com" not in html
    tags = re.findall(r"<(?:script|link)\b[^>]*>", html)
    assets = {re.search(r'(?:src|href)="([^"]+)"', t)[1]: re.search(r'integrity="([^"]+)"', t)[1]  # type: ignore[index]
              for t in tags if "integrity=" in t}
    assert len(assets) == 7 and all(a.startswith("/graphiql-assets/") for a in assets), assets
    base = api_base(settings)
    for asset, integrity in assets.items():
        response = httpx.get(base + asset, timeout=30)
        digest = base64.b64encode(hashlib.sha384(response.content).digest()).decode()
        assert (response.status_code, f"sha384-{digest}") == (200, integrity), asset
    for other in ("/graphiql-assets/react/package.json", "/graphiql-assets/../../settings/config.py",
                  "/graphiql-assets/graphiql@3.8.3/package.json"):
        assert httpx.get(base + other, timeout=30).status_code == 404, other


def test_the_cdn_setting_keeps_strawberrys_page(log_dir: Path) -> None:
    with api_with(log_dir, graphiql_assets="cdn") as (settings, _):
        html = page(settings)
        assert "https://unpkg.com/graphiql@" in html and "/graphiql-assets/" not in html
        base = api_base(settings)
        cdn_assets = re.findall(r'"https://unpkg\.com/([^"]+)"', html)  # the files a local page would serve
        assert len(cdn_assets) == 7, cdn_assets
        for asset in cdn_assets:
            assert httpx.get(f"{base}/graphiql-assets/{asset}", timeout=30).status_code == 404, asset
