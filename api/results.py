"""Helpers the REST routers share: run a query in the pool, turn terms into JSON values."""

from __future__ import annotations

from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from api.pool import QueryPool
from api.workers import QueryTask
from graph.settings import Settings
from graph.store.base import QueryResult

TRUNCATED_HEADER = "Servicegraph-Truncated"
"""Set to ``true`` on an answer cut at the row limit: a cut answer is never silent."""


def plain(term: Node | None) -> Any:
    """A JSON value for a term: IRIs and text as strings, numbers and booleans as such.

    >>> plain(Literal(3)), plain(Literal("شاهکار", lang="fa")), plain(None)
    (3, 'شاهکار', None)
    """
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool | int | float):
            return value
        return str(term)
    return str(term)


async def select(pool: QueryPool, settings: Settings, sparql: str) -> QueryResult:
    """Run a trusted SELECT in the worker pool under the configured limits."""
    reply = await pool.run(
        QueryTask(
            sparql=sparql,
            kind="rows",
            timeout=settings.query_timeout,
            max_results=settings.max_results,
        )
    )
    assert reply.result is not None
    return reply.result


async def dicts(pool: QueryPool, settings: Settings, sparql: str) -> list[dict[str, Any]]:
    """SELECT rows as dicts of plain JSON values."""
    result = await select(pool, settings, sparql)
    return [{k: plain(v) for k, v in row.items()} for row in result.dicts()]


def iri(value: str | URIRef) -> str:
    """An IRI written for a SPARQL text; refuses anything an IRIREF cannot hold."""
    from api.catalogue import _IRI

    if not _IRI.match(str(value)):
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


def spreadsheet_safe_csv(body: bytes) -> bytes:
    """SPARQL CSV results (UTF-8) with every cell made spreadsheet-safe, for downloads.

    >>> spreadsheet_safe_csv("name\\r\\n=cmd|' /C calc'!A0\\r\\n".encode()).decode()
    "name\\n'=cmd|' /C calc'!A0\\n"
    """
    import csv
    import io

    from graph.analysis.formats import csv_text

    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    if not rows:
        return body
    return csv_text(rows[0], rows[1:]).encode("utf-8")
