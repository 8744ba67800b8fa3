"""The query worker process: runs SPARQL queries where they can be killed when they overrun.

Neither pyoxigraph nor rdflib can cancel a running query from Python, and a query runs
while holding the GIL, so running it in the server process would freeze every other
client. Each query therefore goes to one of a few worker processes (``spawn``ed, each with
the store opened read-only). The event loop awaits the reply in a thread; if the time limit
passes first, the worker is killed and a fresh one started, and the client gets 504.

The server process is the only writer. After a write it bumps the revision it sends with
each task; a worker whose open store is older re-opens it before running the query, since a
read-only RocksDB handle sees the data as it was when opened.

A worker is bounded in what it may take: its private memory (``worker_memory_mb``, as
RLIMIT_DATA, so a string-doubling query fails in the worker instead of swapping the host),
the bytes of one answer (``max_answer_bytes``), and the network (:mod:`api.isolation`).
Which worker runs which query is :mod:`api.pool`'s business.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any, Literal

from graph.errors import QueryError, ServicegraphError
from graph.settings import Settings
from graph.store.base import QueryResult

log = logging.getLogger(__name__)

CHECK_CACHE_SIZE = 256  # checked queries a worker remembers (per store revision)
READY_TIMEOUT = 60.0  # seconds a new worker may take to import and open the store


@dataclass(frozen=True)
class QueryTask:
    """One query request as the worker needs it (picklable)."""

    sparql: str
    kind: Literal["serialized", "rows"] = "serialized"
    accept: str | None = None
    format: str | None = None
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    revision: str | None = None
    timeout: float = 10.0
    max_results: int | None = None
    spool: bool = False  # a large serialized answer may come back as a file (see spool_answer)


@dataclass(frozen=True)
class QueryReply:
    """A worker's answer: serialized bytes or, for ``rows`` tasks, a QueryResult."""

    form: str
    media_type: str | None = None
    body: bytes = b""
    truncated: bool = False
    result: QueryResult | None = None
    path: str | None = None  # the answer spooled to this file instead of ``body``
    size: int = 0  # bytes of the spooled answer


def _serve(conn: Connection, settings: Settings, spool_dir: str) -> None:  # pragma: no cover
    """Worker process loop: answer tasks until the pipe closes.

    A worker over the embedded store first leaves the network (:mod:`api.isolation`), so a
    query that slipped past the SERVICE check still cannot open a connection.
    """
    from api.isolation import isolate_network

    isolated = settings.store is None and isolate_network()
    limit_memory(settings.worker_memory_mb)
    from api.dataset import run_on_dataset
    from api.negotiation import choose
    from graph.sparql.guard import check_query
    from graph.store import open_store

    store, revision, names = None, None, None
    checked_cache: dict[tuple[str, tuple[str, ...], tuple[str, ...]], Any] = {}
    conn.send(("ready", isolated))
    while True:
        try:
            task: QueryTask | None = conn.recv()
        except (EOFError, OSError):
            break
        if task is None:
            break
        try:
            if store is None or task.revision != revision:
                if store is not None:
                    store.close()
                store = open_store(settings, read_only=True)
                revision, names = task.revision, None
                checked_cache.clear()
            if names is None:
                names = {str(g) for g in store.graph_names()}
            # rdflib's parser takes 30-100 ms, several times the query itself: a repeated
            # query (catalogue, editor, dashboards) is checked once per store revision.
            key = (task.sparql, task.default_graph_uris, task.named_graph_uris)
            checked = checked_cache.get(key)
            if checked is None:
                checked = check_query(
                    task.sparql,
                    names,
                    default_graph_uris=task.default_graph_uris,
                    named_graph_uris=task.named_graph_uris,
                )
                if len(checked_cache) >= CHECK_CACHE_SIZE:
                    checked_cache.pop(next(iter(checked_cache)))
                checked_cache[key] = checked
            if task.kind == "rows":
                result = store.query(
                    checked.text, timeout=task.timeout, max_results=task.max_results
                )
                reply = QueryReply(checked.form, result=result)
            else:
                media = choose(checked.form, task.accept, task.format)
                if checked.default_graphs or checked.named_graphs:
                    body, truncated = run_on_dataset(store, checked, media, task.max_results)
                else:
                    body, truncated = store.query_serialized(
                        checked.text, media, timeout=task.timeout, max_results=task.max_results
                    )
                reply = QueryReply(checked.form, media, body, truncated)
            check_answer_size(reply, settings.max_answer_bytes)
            if task.spool:
                reply = spool_answer(reply, spool_dir, settings.spool_answer_bytes)
            conn.send(("ok", reply))
        except ServicegraphError as exc:
            conn.send(("error", (exc.status_code, str(exc))))
        except MemoryError:
            conn.send(("error", (507, memory_message(settings.worker_memory_mb))))
        except Exception as exc:
            conn.send(("error", (500, f"query failed: {type(exc).__name__}: {exc}")))


def spool_answer(reply: QueryReply, directory: str, threshold: int) -> QueryReply:
    """A large serialized answer written to a file in ``directory``, so the server streams
    it from disk at the pace the client reads instead of holding it in memory (eight clients
    that never read a 26 MB answer held 787 MiB in the server before). Small answers, and
    any answer when the disk refuses the file, stay in memory.
    """
    if not threshold or len(reply.body) <= threshold:
        return reply
    import os
    import tempfile

    try:
        fd, path = tempfile.mkstemp(prefix="answer-", dir=directory)
        with os.fdopen(fd, "wb") as out:
            out.write(reply.body)
    except OSError:
        return reply
    return replace(reply, body=b"", path=path, size=len(reply.body))


def limit_memory(megabytes: int) -> None:
    """Cap this process's private memory (RLIMIT_DATA); 0 leaves it unbounded.

    RLIMIT_DATA counts the heap and private mappings but not the store's memory-mapped
    files, so the cap bounds what a query builds without starving RocksDB's reads.
    """
    if megabytes <= 0:
        return
    import resource

    cap = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))


def memory_message(megabytes: int) -> str:
    """The error a client gets when its query needed more than a worker may hold."""
    return (
        f"query stopped: it needed more memory than a query may use ({megabytes} MiB); "
        "narrow it or add LIMIT"
    )


def answer_size(reply: QueryReply) -> int:
    """Bytes an answer holds: its body, or for rows an estimate of their terms (the text of
    each and a hundred bytes of Python objects)."""
    if reply.result is None:
        return reply.size or len(reply.body)
    rows = reply.result.rows
    return sum(100 + len(term) for row in rows for term in row if term is not None) + 8 * len(rows)


def check_answer_size(reply: QueryReply, max_bytes: int) -> None:
    """Refuse an answer larger than ``max_bytes``: a row cap does not bound bytes (one row
    can hold a string of 100 MB), and every byte sent is held until the client reads it."""
    size = answer_size(reply)
    if max_bytes and size > max_bytes:
        raise QueryError(
            f"the answer is {size / 1048576:.1f} MiB, over the limit of "
            f"{max_bytes / 1048576:g} MiB per answer; narrow the query or add LIMIT",
            413,
        )


class Worker:
    """One worker process and the pipe to it."""

    def __init__(self, ctx: Any, settings: Settings, spool_dir: str) -> None:
        parent, child = ctx.Pipe(duplex=True)
        self.conn: Connection = parent
        self.process = ctx.Process(
            target=_serve,
            args=(child, settings, spool_dir),
            daemon=True,
            name="servicegraph-query",
        )
        self.isolated = False  # set by wait_ready: the worker runs without a network
        self.process.start()
        child.close()

    def wait_ready(self) -> bool:
        if self.conn.poll(READY_TIMEOUT):
            with contextlib.suppress(EOFError, OSError):
                status, self.isolated = self.conn.recv()
                return status == "ready"
        return False

    def died_of_memory(self) -> bool:
        """Whether the process ended as an allocation failure ends it (Rust aborts)."""
        import signal

        self.process.join(1)
        return self.process.exitcode == -signal.SIGABRT

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()
