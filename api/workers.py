"""Runs SPARQL queries in worker processes that can be killed when they overrun.

Neither pyoxigraph nor rdflib can cancel a running query from Python, and a query runs
while holding the GIL, so running it in the server process would freeze every other
client. Each query therefore goes to one of a few worker processes (``spawn``ed, each with
the store opened read-only). The event loop awaits the reply in a thread; if the time limit
passes first, the worker is killed and a fresh one started, and the client gets 504.

The server process is the only writer. After a write it bumps the revision it sends with
each task; a worker whose open store is older re-opens it before running the query, since a
read-only RocksDB handle sees the data as it was when opened.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any, Literal

from graph.errors import QueryError, ServicegraphError, StoreError
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


@dataclass(frozen=True)
class QueryReply:
    """A worker's answer: serialized bytes or, for ``rows`` tasks, a QueryResult."""

    form: str
    media_type: str | None = None
    body: bytes = b""
    truncated: bool = False
    result: QueryResult | None = None


def _serve(conn: Connection, settings: Settings) -> None:  # pragma: no cover - subprocess
    """Worker process loop: answer tasks until the pipe closes.

    A worker over the embedded store first leaves the network (:mod:`api.isolation`), so a
    query that slipped past the SERVICE check still cannot open a connection.
    """
    from api.isolation import isolate_network

    isolated = settings.store is None and isolate_network()
    from api.dataset import run_on_dataset
    from api.guard import check_query
    from api.negotiation import choose
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
                conn.send(("ok", QueryReply(checked.form, result=result)))
                continue
            media = choose(checked.form, task.accept, task.format)
            if checked.default_graphs or checked.named_graphs:
                body, truncated = run_on_dataset(store, checked, media, task.max_results)
                conn.send(("ok", QueryReply(checked.form, media, body, truncated)))
                continue
            body, truncated = store.query_serialized(
                checked.text, media, timeout=task.timeout, max_results=task.max_results
            )
            conn.send(("ok", QueryReply(checked.form, media, body, truncated)))
        except ServicegraphError as exc:
            conn.send(("error", (exc.status_code, str(exc))))
        except Exception as exc:
            conn.send(("error", (500, f"query failed: {type(exc).__name__}: {exc}")))


class _Worker:
    def __init__(self, ctx: Any, settings: Settings) -> None:
        parent, child = ctx.Pipe(duplex=True)
        self.conn: Connection = parent
        self.process = ctx.Process(
            target=_serve, args=(child, settings), daemon=True, name="servicegraph-query"
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

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class _OverrunError(Exception):
    pass


def _receive(conn: Connection, timeout: float) -> tuple[str, Any]:
    if not conn.poll(timeout):
        raise _OverrunError
    return conn.recv()


class ResultCache:
    """Answers of recent queries (serialized, or rows for the REST routers), per store
    revision, bounded in bytes.

    The store only changes when its revision does, and the revision is part of every key,
    so an answer is reused only for the very same query, dataset, format and limits on the
    very same data: dashboards and catalogue pages repeat queries, and a repeat costs a
    dictionary lookup instead of a worker round trip. Entries of older revisions age out
    (LRU); ``result_cache_bytes = 0`` turns the cache off.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[QueryTask, QueryReply] = OrderedDict()
        self._bytes = 0

    def get(self, task: QueryTask) -> QueryReply | None:
        reply = self._entries.get(task)
        if reply is not None:
            self._entries.move_to_end(task)
        return reply

    def put(self, task: QueryTask, reply: QueryReply) -> None:
        size = _size(reply)
        if size > self.max_bytes // 8 or task in self._entries:
            return
        self._entries[task] = reply
        self._bytes += size
        while self._bytes > self.max_bytes and self._entries:
            _, old = self._entries.popitem(last=False)
            self._bytes -= _size(old)


def _size(reply: QueryReply) -> int:
    """Bytes a reply holds: its body, or for rows (shared, never changed by the routers)
    an estimate of their terms: the text of each and a hundred bytes of Python objects."""
    if reply.result is None:
        return len(reply.body)
    rows = reply.result.rows
    return sum(100 + len(term) for row in rows for term in row if term is not None) + 8 * len(rows)


class QueryPool:
    """A fixed number of query worker processes shared by all requests."""

    def __init__(self, settings: Settings, size: int | None = None) -> None:
        self.settings = settings
        self.size = max(1, size or settings.query_workers)
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._background: set[asyncio.Task[None]] = set()
        self._closed = False
        self._warned = False
        self.revision: str | None = None  # the store's revision; bumped by the writer
        self.cache = ResultCache(settings.result_cache_bytes)

    async def start(self) -> None:
        """Start every worker and wait until each has imported its modules."""
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        if self._idle.qsize() < self.size:
            await self.close()
            raise StoreError(f"only {self._idle.qsize()} of {self.size} query workers started")

    async def _spawn(self) -> None:
        worker = _Worker(self._ctx, self.settings)
        self._all.add(worker)
        if await asyncio.to_thread(worker.wait_ready) and not self._closed:
            if self.settings.store is None and not worker.isolated and not self._warned:
                self._warned = True
                log.warning(
                    "query workers run with network access (no network namespace could be "
                    "made); SERVICE is still refused by the query check"
                )
            self._idle.put_nowait(worker)
        else:
            self._all.discard(worker)
            await asyncio.to_thread(worker.kill)

    def _retire(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another in the background."""
        self._all.discard(worker)

        async def respawn() -> None:
            await asyncio.to_thread(worker.kill)
            if not self._closed:
                await self._spawn()

        task = asyncio.get_running_loop().create_task(respawn())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def run(self, task: QueryTask) -> QueryReply:
        """Run ``task`` in a worker; QueryError 504 after ``task.timeout`` seconds."""
        started = time.monotonic()
        task = replace(task, revision=self.revision)
        cached = self.cache.get(task)
        if cached is not None:
            return cached
        try:
            worker = await asyncio.wait_for(self._idle.get(), task.timeout)
        except TimeoutError:
            raise QueryError(
                f"all {self.size} query workers stayed busy for {task.timeout:g} s; try again",
                503,
            ) from None
        remaining = max(0.1, task.timeout - (time.monotonic() - started))
        try:
            worker.conn.send(task)
            # The store may enforce the limit itself with a better message; allow it a moment.
            status, payload = await asyncio.to_thread(_receive, worker.conn, remaining + 0.5)
        except _OverrunError:
            self._retire(worker)
            raise QueryError(
                f"query stopped: it ran longer than the time limit of {task.timeout:g} s",
                504,
            ) from None
        except (EOFError, OSError):
            self._retire(worker)
            raise QueryError("query worker died while running the query", 503) from None
        except BaseException:  # cancelled (client went away): the worker is still busy
            self._retire(worker)
            raise
        self._idle.put_nowait(worker)
        if status == "error":
            code, message = payload
            raise QueryError(message, code)
        self.cache.put(task, payload)
        return payload

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for task in list(self._background):
            task.cancel()
        workers, self._all = list(self._all), set()
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        await asyncio.gather(*(asyncio.to_thread(w.kill) for w in workers))
