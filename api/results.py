"""Helpers the REST routers share: run a query in the worker pool, rows as JSON values."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from fastapi.responses import Response, StreamingResponse

from api.pool import QueryPool
from api.workers import QueryReply, QueryTask
from graph.settings import Settings
from graph.sparql.values import plain
from graph.store.base import QueryResult

CHUNK = 64 * 1024
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


def answer_response(reply: QueryReply, media: str, headers: dict[str, str]) -> Response:
    """The HTTP response of a serialized answer: from memory, or streamed from the file the
    worker spooled it to.

    The spooled file is unlinked as soon as it is open, so it disappears with the response
    whether the client reads it all, stops half-way or never reads. While a client does not
    read, the server's send waits (uvicorn's flow control), so an unread answer costs the
    server a socket buffer and one chunk, not the answer.
    """
    if reply.path is None:
        return Response(reply.body, media_type=media, headers=headers)
    handle = open(reply.path, "rb")  # closed by the generator below
    os.unlink(reply.path)

    def chunks() -> Iterator[bytes]:
        with handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    headers = {**headers, "Content-Length": str(reply.size)}
    return StreamingResponse(chunks(), media_type=media, headers=headers)
