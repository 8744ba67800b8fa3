"""The query catalogue over HTTP: ``GET /queries`` lists, ``GET /queries/{name}`` runs one.

Parameters of a catalogue query are passed as query-string parameters of the same name
(repeat one to give several values). The answer is JSON rows by default; ``format`` (csv,
tsv, json, xml) gives the standard SPARQL results serialization instead.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from api import catalogue
from api.deps import PoolDep, SettingsDep
from api.results import plain, select
from api.workers import QueryTask
from graph.errors import QueryError

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
    sparql: str


class QueryRows(BaseModel):
    name: str
    title: str
    variables: list[str]
    rows: list[dict[str, Any]]
    truncated: bool
    sparql: str


def _info(q: catalogue.CatalogueQuery) -> QueryInfo:
    return QueryInfo(
        name=q.name,
        title=q.title,
        title_fa=q.title_fa,
        description=q.description,
        params=[ParamInfo(name=p.name, kind=p.kind, description=p.description) for p in q.params],
        sparql=q.text,
    )


@router.get("/queries", response_model=list[QueryInfo], summary="List the catalogue queries")
def list_queries() -> list[QueryInfo]:
    return [_info(q) for q in catalogue.catalogue().values()]


async def render(
    query: catalogue.CatalogueQuery,
    given: dict[str, list[str]],
    pool: PoolDep,
    settings: SettingsDep,
) -> str:
    """The query text with parameter values resolved (names matched in the graph)."""
    values = {}
    for param in query.params:
        texts = [t for t in given.get(param.name, []) if t.strip()]
        if not texts:
            continue
        rows = None
        if param.kind != "literal":
            rows = (await select(pool, settings, catalogue.candidates_query(param.kind))).rows
        terms = []
        for text in texts:
            terms += catalogue.value_terms(param, text, rows)
        values[param.name] = terms
    return query.render(values)


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
    unknown = set(given) - {p.name for p in query.params}
    if unknown:
        raise QueryError(f"query {name} has no parameter {', '.join(sorted(unknown))}")
    sparql = await render(query, given, pool, settings)
    if fmt:
        reply = await pool.run(
            QueryTask(
                sparql=sparql,
                format=fmt,
                timeout=settings.query_timeout,
                max_results=settings.max_results,
            )
        )
        return Response(reply.body, media_type=f"{reply.media_type}; charset=utf-8")
    result = await select(pool, settings, sparql)
    return QueryRows(
        name=name,
        title=query.title,
        variables=result.variables,
        rows=[{k: plain(v) for k, v in row.items()} for row in result.dicts()],
        truncated=result.truncated,
        sparql=sparql,
    )
