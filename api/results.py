"""Helpers the REST routers share: run a query in the worker pool, rows as JSON values."""

from __future__ import annotations

from typing import Any

from api.pool import QueryPool
from api.workers import QueryTask
from graph.settings import Settings
from graph.sparql.values import plain
from graph.store.base import QueryResult

TRUNCATED_HEADER = "Servicegraph-Truncated"
"""Set to ``true`` on an answer cut at the row limit: a cut answer is never silent."""


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
