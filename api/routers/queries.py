"""The query catalogue over HTTP: ``GET /queries`` lists, ``GET /queries/{name}`` runs one.

Parameters of a catalogue query are passed as query-string parameters of the same name
(repeat one to give several values). The answer is JSON rows by default, a page of
``limit`` rows (``page_size`` in the settings unless given) after ``offset``, with the URL
of the next page while there may be one. ``format`` (csv, tsv, json, xml) gives the
standard SPARQL results serialization instead: a download, so every row unless ``limit``
is given.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.deps import PoolDep, SettingsDep
from api.results import TRUNCATED_HEADER, select, spreadsheet_safe_csv
from api.workers import QueryTask
from graph.errors import QueryError
from graph.sparql import catalogue
from graph.sparql.values import plain

router = APIRouter(tags=["queries"])


class ParamInfo(BaseModel):
    name: str
    kind: str
    description: str


class QueryInfo(BaseModel):
    name: str
    title: str
    title_fa: str | None
    description: str
    params: list[ParamInfo]
    sparql: str = Field(description="the file, with its $param and $page placeholders")
    example: str = Field(description="runnable as is: parameters free, the first page")


class QueryRows(BaseModel):
    name: str
    title: str
    variables: list[str]
    rows: list[dict[str, Any]]
    truncated: bool
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page; absent on the last")
    sparql: str


def _info(q: catalogue.CatalogueQuery, page_size: int) -> QueryInfo:
    return QueryInfo(
        name=q.name,
        title=q.title,
        title_fa=q.title_fa,
        description=q.description,
        params=[ParamInfo(name=p.name, kind=p.kind, description=p.description) for p in q.params],
        sparql=q.text,
        example=q.render(page=catalogue.Page(page_size)),
    )


@router.get("/queries", response_model=list[QueryInfo], summary="List the catalogue queries")
def list_queries(settings: SettingsDep) -> list[QueryInfo]:
    return [_info(q, settings.page_size) for q in catalogue.catalogue().values()]


async def render(
    query: catalogue.CatalogueQuery,
    given: dict[str, list[str]],
    pool: PoolDep,
    settings: SettingsDep,
    page: catalogue.Page | None = None,
) -> str:
    """The query text with parameter values resolved (names matched in the graph)."""
    candidates = {
        kind: (await select(pool, settings, catalogue.candidates_query(kind))).rows
        for kind in catalogue.kinds_to_read(query, given)
    }
    return catalogue.bind(query, given, candidates, page)


@router.get(
    "/queries/{name}",
    response_model=QueryRows,
    summary="Run a catalogue query",
    responses={200: {"content": {"text/csv": {}, "application/sparql-results+json": {}}}},
)
async def run_query(
    name: str, request: Request, pool: PoolDep, settings: SettingsDep
) -> QueryRows | Response:
    query = catalogue.load(name)
    given: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        given.setdefault(key, []).append(value)
    fmt = (given.pop("format", None) or [None])[0]
    limit = _count(given.pop("limit", None), "limit", settings.max_results)
    offset = _count(given.pop("offset", None), "offset", None) or 0
    if limit is None and not fmt:
        limit = settings.page_size
    page = catalogue.Page(limit, offset) if limit else None
    if page is None and offset:
        raise QueryError("offset needs a limit")
    sparql = await render(query, given, pool, settings, page)
    if fmt:
        reply = await pool.run(
            QueryTask(
                sparql=sparql,
                format=fmt,
                timeout=settings.query_timeout,
                max_results=settings.max_results,
            )
        )
        body, headers = reply.body, {}
        if reply.media_type == "text/csv":
            body = spreadsheet_safe_csv(body)
        if reply.truncated:  # a cut listing is never passed off as the whole
            headers[TRUNCATED_HEADER] = "true"
            headers["Servicegraph-Max-Results"] = str(settings.max_results)
        return Response(body, media_type=f"{reply.media_type}; charset=utf-8", headers=headers)
    result = await select(pool, settings, sparql)
    rows = [{k: plain(v) for k, v in row.items()} for row in result.dicts()]
    following = None
    if len(rows) >= limit and not result.truncated:
        following = str(request.url.include_query_params(limit=limit, offset=offset + limit))
    return QueryRows(
        name=name,
        title=query.title,
        variables=result.variables,
        rows=rows,
        truncated=result.truncated,
        limit=limit,
        offset=offset,
        next=following,
        sparql=sparql,
    )


def _count(values: list[str] | None, name: str, most: int | None) -> int | None:
    """The one whole number given as ``name`` (None when absent); QueryError otherwise."""
    if not values:
        return None
    text = values[-1].strip()
    if not text.isdigit() or len(values) > 1:
        raise QueryError(f"{name} must be given once, as a whole number, not {values!r}")
    number = int(text)
    if name == "limit" and not 1 <= number <= (most or number):
        raise QueryError(f"limit must be between 1 and {most}, not {number}")
    return number
