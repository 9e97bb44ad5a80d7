"""Pure parts of the operations hygiene: CSV cells neutralised, page policies that allow exactly
what a page loads, log levels by kind of error, the document rule, the production defaults."""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import re
from typing import Any

import pytest
from graphql import GraphQLError
from strawberry.http.ides import get_graphql_ide_html

from api.auth import Unauthenticated
from api.errors import log_error
from api.graphiql import GraphiQLPage
from api.headers import csp_hash, page_policies, page_policy
from api.schema import build_schema
from domain.errors import ForbiddenError, NotFoundError, ValidationError
from projections.timeline.export import csv_line
from settings import Settings

PRODUCTION: dict[str, Any] = {
    "env": "production", "jwt_public_key": "pem", "jwt_issuer": "https://id.example.com", "jwt_audience": "momentum",
    "jwt_secret": "not-the-default", "database_url": "postgresql://momentum:s3cret@db/momentum",
}


def cells(values: list[Any]) -> list[str]:
    return next(csv.reader(io.StringIO(csv_line(values))))


def test_text_cells_that_a_spreadsheet_would_run_as_a_formula_are_neutralised() -> None:
    hostile = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
    assert cells(hostile) == ["'" + value for value in hostile]
    assert cells(["a=b", "ok", "", None]) == ["a=b", "ok", "", ""]


def test_numbers_the_code_writes_stay_numbers_and_every_text_cell_is_quoted() -> None:
    assert csv_line([3, -2, 1.5, "-2", "x"]) == "3,-2,1.5,\"'-2\",\"x\"\r\n"


def test_the_graphiql_policy_allows_exactly_the_scripts_and_stylesheets_the_page_loads() -> None:
    html = get_graphql_ide_html("graphiql")
    policy = dict(d.split(" ", 1) for d in page_policies(html)["/graphql"].split("; "))
    inline = re.findall(r"<script>(.*?)</script>", html, re.S)
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html) + [csp_hash(s) for s in inline]
    assert sorted(policy["script-src"].split()) == sorted(scripts) and len(scripts) == 6
    sheets = re.findall(r'rel="stylesheet"\s+href="([^"]+)"', html)
    assert sorted(policy["style-src"].split()) == sorted([*sheets, "'unsafe-inline'"]) and len(sheets) == 2
    assert policy["default-src"] == "'none'" and policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and "unsafe-eval" not in page_policies(html)["/graphql"]


def test_a_page_with_local_assets_allows_this_origin_instead_of_the_cdn() -> None:
    html = GraphiQLPage("local").html
    policy = dict(d.split(" ", 1) for d in page_policies(html)["/graphql"].split("; "))
    assert "unpkg.com" not in html and "unpkg.com" not in str(policy)
    assert policy["script-src"].split()[0] == "'self'" and policy["style-src"].split()[0] == "'self'"
    assert policy["font-src"] == "'self' data:"


def test_a_page_policy_allows_its_inline_style_by_hash_and_nothing_else() -> None:
    policy = page_policy("<html><head><style>b{color:red}</style></head><body><svg></svg></body></html>")
    assert policy == (f"default-src 'none'; style-src {csp_hash('b{color:red}')}; "
                      "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


def logged(error: GraphQLError, caplog: pytest.LogCaptureFixture) -> tuple[int, bool]:
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="api.errors"):
        log_error(error)
    (record,) = caplog.records
    return record.levelno, record.exc_info is not None


def raised(original: Exception) -> GraphQLError:
    try:
        raise original
    except Exception as error:  # a real traceback, as a resolver's error has one
        return GraphQLError(str(error), original_error=error)


def test_expected_refusals_are_info_without_a_traceback_and_surprises_error_with_one(
    caplog: pytest.LogCaptureFixture,
) -> None:
    expected = [raised(ValidationError("bad")), raised(NotFoundError("gone")), raised(ForbiddenError("no")),
                raised(Unauthenticated("who")), GraphQLError("Cannot query field 'x' on type 'Query'.")]
    assert [logged(e, caplog) for e in expected] == [(logging.INFO, False)] * len(expected)
    assert logged(raised(ZeroDivisionError("boom")), caplog) == (logging.ERROR, True)


def execute(settings: Settings, query: str, operation_name: str | None = None) -> Any:
    return asyncio.run(build_schema(settings).execute(query, operation_name=operation_name))


def test_several_operations_without_an_operation_name_are_refused() -> None:
    two = "query A { __typename } query B { __typename }"
    result = execute(Settings(), two)
    assert result.data is None and [e.extensions["code"] for e in result.errors] == ["VALIDATION"]
    assert execute(Settings(), two, "B").data == {"__typename": "Query"}
    assert execute(Settings(), "{ __typename }").data == {"__typename": "Query"}


def test_introspection_is_off_by_default_in_production_and_on_elsewhere() -> None:
    introspect = "{ __schema { queryType { name } } }"
    assert execute(Settings(), introspect).errors is None
    refused = execute(Settings(**PRODUCTION), introspect)
    assert refused.data is None and {e.extensions["code"] for e in refused.errors} == {"VALIDATION"}
    assert execute(Settings(**PRODUCTION, graphql_introspection=True), introspect).errors is None


def test_cors_origins_are_listed_origins_or_nothing() -> None:
    assert Settings().cors_origin_list == []
    assert Settings(cors_origins=" https://okr.example.com, http://localhost:3000 ").cors_origin_list == [
        "https://okr.example.com", "http://localhost:3000"]
    for wrong in ("*", "okr.example.com", "https://okr.example.com/app", "ftp://x"):
        with pytest.raises(ValueError, match="MOMENTUM_CORS_ORIGINS"):
            Settings(cors_origins=wrong)
