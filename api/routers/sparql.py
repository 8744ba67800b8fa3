"""The SPARQL 1.1 Protocol query operation at ``/sparql`` (read-only).

Implements https://www.w3.org/TR/sparql11-protocol/ §2.1 "query operation":

* §2.1.1 query via GET: ``?query=`` plus optional ``default-graph-uri``/``named-graph-uri``;
* §2.1.2 query via POST with ``application/x-www-form-urlencoded`` body;
* §2.1.3 query via POST directly, body ``application/sparql-query``, dataset in the URL;
* §2.1.4 the protocol dataset replaces the query's FROM/FROM NAMED;
* §2.1.5 responses: status 200 with a result in the negotiated format, 400 for a malformed
  or refused query, 500s for server failures (§2.1.6 lists the 4xx/5xx space).

Beyond the standard: 406 for an Accept nothing satisfies, 413 for a query over
``max_query_bytes``, 415 for a POST body of another content type, 504 when the query runs
past ``query_timeout`` (it is killed), and a truncated result (more than ``max_results``
rows or triples) is answered 200 with the first rows and the header
``Servicegraph-Truncated: true``. An HTML query editor answers a browser's GET without a
query.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Header, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import PoolDep, SettingsDep
from api.negotiation import accepts_html
from api.problems import ProblemError
from api.results import TRUNCATED_HEADER, answer_response
from api.workers import QueryTask
from graph.errors import QueryError

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
TEXT_TYPES = (
    "text/",
    "application/sparql-results+",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
)

_DESCRIPTION = (
    "SPARQL 1.1 Protocol query endpoint over the union of all card graphs and the "
    "reference register. SELECT/ASK answer in SPARQL results JSON, XML, CSV or TSV; "
    "CONSTRUCT/DESCRIBE in Turtle, N-Triples, RDF/XML or JSON-LD (`Accept` or `format`)."
)


HeaderValue = Annotated[str | None, Header()]


def _params(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


@router.get("/sparql", summary="SPARQL query (GET)", description=_DESCRIPTION)
async def sparql_get(
    request: Request, pool: PoolDep, settings: SettingsDep, accept: HeaderValue = None
) -> Response:
    params = _params(parse_qsl(request.url.query, keep_blank_values=True))
    if "query" not in params and "update" not in params:
        if accepts_html(accept):
            return _page()
        raise ProblemError(400, "missing the 'query' parameter (SPARQL 1.1 Protocol §2.1.1)")
    return await _answer(params, params, accept, pool, settings, client=_client(request))


@router.post("/sparql", summary="SPARQL query (POST)", description=_DESCRIPTION)
async def sparql_post(
    request: Request,
    pool: PoolDep,
    settings: SettingsDep,
    accept: HeaderValue = None,
    content_type: HeaderValue = None,
) -> Response:
    media = (content_type or "").split(";")[0].strip().lower()
    url_params = _params(parse_qsl(request.url.query, keep_blank_values=True))
    body = await request.body()
    if media == FORM:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ProblemError(400, "request body is not UTF-8") from None
        form = _params(parse_qsl(text, keep_blank_values=True))
        return await _answer(
            form, form, accept, pool, settings, extra=url_params, client=_client(request)
        )
    if media == DIRECT:
        if "query" in url_params:
            raise ProblemError(400, "a direct POST carries the query in the body, not in the URL")
        _check_size(body, settings)
        try:
            query = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ProblemError(400, "query is not UTF-8 (SPARQL 1.1 Protocol §2.1.3)") from None
        return await _run(query, url_params, accept, pool, settings, _client(request))
    if media == UPDATE:
        raise ProblemError(400, "SPARQL Update is refused: this endpoint is read-only")
    raise ProblemError(
        415,
        f"unsupported content type {media or '(none)'!r}: send {FORM} or {DIRECT}",
    )


async def _answer(
    params: dict[str, list[str]],
    dataset_params: dict[str, list[str]],
    accept: str | None,
    pool: PoolDep,
    settings: SettingsDep,
    *,
    extra: dict[str, list[str]] | None = None,
    client: str,
) -> Response:
    if "update" in params:
        raise ProblemError(400, "SPARQL Update is refused: this endpoint is read-only")
    queries = params.get("query", [])
    if len(queries) != 1:
        raise ProblemError(400, f"exactly one 'query' parameter is required, got {len(queries)}")
    merged = {**(extra or {}), **dataset_params}
    return await _run(queries[0], merged, accept, pool, settings, client)


def _client(request: Request) -> str:
    """Who asks, for the pool's fair hand-over: the peer's address."""
    return request.client.host if request.client else "?"


def _check_size(query: bytes, settings: SettingsDep) -> None:
    if len(query) > settings.max_query_bytes:
        raise ProblemError(
            413,
            f"query is {len(query)} bytes, larger than the limit of "
            f"{settings.max_query_bytes} bytes",
        )


async def _run(
    query: str,
    params: dict[str, list[str]],
    accept: str | None,
    pool: PoolDep,
    settings: SettingsDep,
    client: str,
) -> Response:
    _check_size(query.encode("utf-8"), settings)
    if not query.strip():
        raise ProblemError(400, "the query is empty")
    formats = params.get("format", [])
    task = QueryTask(
        sparql=query,
        accept=accept,
        format=formats[0] if formats else None,
        default_graph_uris=tuple(params.get("default-graph-uri", ())),
        named_graph_uris=tuple(params.get("named-graph-uri", ())),
        timeout=settings.query_timeout,
        max_results=settings.max_results,
        spool=True,
    )
    reply = await pool.run(task, client)
    media = reply.media_type or "application/octet-stream"
    headers = {"Vary": "Accept"}
    if reply.truncated:
        headers[TRUNCATED_HEADER] = "true"
        headers["Servicegraph-Max-Results"] = str(settings.max_results)
    if media.startswith(TEXT_TYPES):
        media += "; charset=utf-8"
    return answer_response(reply, media, headers)


def _page() -> HTMLResponse:
    html = resources.files("api").joinpath("static/sparql.html").read_text("utf-8")
    return HTMLResponse(html)


__all__ = ["QueryError", "router"]
