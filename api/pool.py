"""Which worker runs which query: a fair pool with a fast lane, and the answer cache.

A few worker processes (:mod:`api.workers`) serve every client, so a client with slow
queries could otherwise take them all and make everyone else wait out the time limit.
Three rules keep the pool fair:

* **Fair hand-over.** When a worker frees up it goes to the waiting request whose client
  has the fewest queries running, then the one that used the least worker time lately
  (halved every ``USAGE_HALF_LIFE`` seconds), then first come first served: one client
  sending many or slow queries cannot starve the others.
* **A fast lane.** One spare worker runs new queries while every other worker is busy, each
  for at most ``fast_lane_seconds``: a simple query is answered at once even while slow
  ones hold the pool; a slow one is stopped there (its worker replaced) and waits its turn
  for a regular worker with the rest of its time.
* **A short queue.** A request waits at most ``queue_wait`` seconds for a worker, then gets
  503 with ``Retry-After`` instead of hanging for the whole time limit.

Answers are cached per store revision (:class:`ResultCache`), so repeated dashboard and
catalogue queries never reach a worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import math
import multiprocessing
import shutil
import tempfile
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from typing import Any

from api.problems import ProblemError
from api.workers import QueryReply, QueryTask, Worker, answer_size, memory_message
from graph.errors import QueryError, StoreError
from graph.settings import Settings

log = logging.getLogger(__name__)

USAGE_HALF_LIFE = 30.0  # seconds after which a client's past worker time counts half


class ResultCache:
    """Answers of recent queries (serialized, or rows for the REST routers), per store
    revision, bounded in bytes.

    The store only changes when its revision does, and the revision is part of every key,
    so an answer is reused only for the very same query, dataset, format and limits on the
    very same data. Entries of older revisions age out (LRU); ``result_cache_bytes = 0``
    turns the cache off.
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
        size = answer_size(reply)
        if reply.path or size > self.max_bytes // 8 or task in self._entries:
            return
        self._entries[task] = reply
        self._bytes += size
        while self._bytes > self.max_bytes and self._entries:
            _, old = self._entries.popitem(last=False)
            self._bytes -= answer_size(old)


class _OverrunError(Exception):
    pass


def _receive(conn: Connection, timeout: float) -> tuple[str, Any]:
    if not conn.poll(timeout):
        raise _OverrunError
    return conn.recv()


@dataclass
class _Waiter:
    seq: int
    client: str
    future: asyncio.Future[Worker] = field(repr=False)


class QueryPool:
    """``size`` regular query workers and one fast-lane worker, shared by all requests."""

    def __init__(self, settings: Settings, size: int | None = None) -> None:
        self.settings = settings
        self.size = max(1, size or settings.query_workers)
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: list[Worker] = []
        self._all: set[Worker] = set()
        self._waiters: list[_Waiter] = []
        self._running: Counter[str] = Counter()
        self._usage: dict[str, tuple[float, float]] = {}  # client: (worker seconds, when)
        self._seq = itertools.count()
        self._fast: Worker | None = None
        self._fast_busy = False
        self._background: set[asyncio.Task[None]] = set()
        self._closed = False
        self._warned = False
        self.revision: str | None = None  # the store's revision; bumped by the writer
        self.cache = ResultCache(settings.result_cache_bytes)
        # Large answers come back as files here (api.workers.spool_answer); removed at close.
        self.spool_dir = tempfile.mkdtemp(prefix="servicegraph-answers-")

    # -- workers ------------------------------------------------------------------------
    async def start(self) -> None:
        """Start every worker and wait until each has imported its modules."""
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        if len(self._idle) < self.size:
            await self.close()
            raise StoreError(f"only {len(self._idle)} of {self.size} query workers started")
        if self.settings.fast_lane_seconds > 0:
            await self._spawn(fast=True)

    @property
    def workers(self) -> list[Worker]:
        """Every live worker, the fast lane's included."""
        return [*self._all, *([self._fast] if self._fast else [])]

    async def _spawn(self, *, fast: bool = False) -> None:
        worker = Worker(self._ctx, self.settings, self.spool_dir)
        if not fast:
            self._all.add(worker)
        if await asyncio.to_thread(worker.wait_ready) and not self._closed:
            self._warn_if_not_isolated(worker)
            if fast:
                self._fast, self._fast_busy = worker, False
            else:
                self._release(worker)
        else:
            self._all.discard(worker)
            await asyncio.to_thread(worker.kill)

    def _warn_if_not_isolated(self, worker: Worker) -> None:
        if self.settings.store is None and not worker.isolated and not self._warned:
            self._warned = True
            log.warning(
                "query workers run with network access (no network namespace could be "
                "made); SERVICE is still refused by the query check"
            )

    def _retire(self, worker: Worker, *, fast: bool = False) -> None:
        """Kill ``worker`` and start another in the background."""
        self._all.discard(worker)
        if fast:
            self._fast = None

        async def respawn() -> None:
            await asyncio.to_thread(worker.kill)
            if not self._closed:
                await self._spawn(fast=fast)

        task = asyncio.get_running_loop().create_task(respawn())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # -- fair hand-over -----------------------------------------------------------------
    def _release(self, worker: Worker) -> None:
        """Give a free worker to the waiter whose client runs the fewest queries."""
        while self._waiters:
            waiter = min(
                self._waiters,
                key=lambda w: (self._running[w.client], self._used(w.client), w.seq),
            )
            self._waiters.remove(waiter)
            if not waiter.future.done():
                waiter.future.set_result(worker)
                return
        self._idle.append(worker)

    def _used(self, client: str, add: float = 0.0) -> float:
        """The client's recent worker seconds, decayed to now (plus ``add``)."""
        used, when = self._usage.get(client, (0.0, 0.0))
        now = time.monotonic()
        used = used * 0.5 ** ((now - when) / USAGE_HALF_LIFE) + add
        if add:
            self._usage[client] = (used, now)
            if len(self._usage) > 10_000:  # forget the quietest clients
                for old in sorted(self._usage, key=lambda c: self._usage[c][0])[:5_000]:
                    del self._usage[old]
        return used

    async def _acquire(self, client: str, wait: float) -> Worker | None:
        if self._idle and not self._waiters:
            return self._idle.pop()
        future: asyncio.Future[Worker] = asyncio.get_running_loop().create_future()
        waiter = _Waiter(next(self._seq), client, future)
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(asyncio.shield(future), wait)
        except TimeoutError:
            self._give_up(waiter)
            return None
        except asyncio.CancelledError:
            self._give_up(waiter)
            raise

    def _give_up(self, waiter: _Waiter) -> None:
        if waiter in self._waiters:
            self._waiters.remove(waiter)
        if waiter.future.done() and not waiter.future.cancelled():
            self._release(waiter.future.result())  # handed over just as it gave up
        else:
            waiter.future.cancel()

    # -- running ------------------------------------------------------------------------
    async def run(self, task: QueryTask, client: str = "") -> QueryReply:
        """Run ``task`` for ``client`` (an address; "" for the server's own queries).

        Raises QueryError 504 after ``task.timeout`` seconds, ProblemError 503 with
        ``Retry-After`` when no worker frees up within ``queue_wait`` seconds.
        """
        started = time.monotonic()
        task = replace(task, revision=self.revision)
        cached = self.cache.get(task)
        if cached is not None:
            return cached
        worker = self._idle.pop() if self._idle and not self._waiters else None
        if worker is None and self._fast is not None and not self._fast_busy:
            reply = await self._run_fast(task)
            if reply is not None:
                self.cache.put(task, reply)
                return reply
        remaining = task.timeout - (time.monotonic() - started)
        if worker is None:
            worker = await self._acquire(client, min(self.settings.queue_wait, remaining))
        if worker is None:
            wait = max(1, math.ceil(self.settings.queue_wait))
            raise ProblemError(
                503,
                f"all {self.size} query workers are busy; try again in {wait} s",
                headers={"Retry-After": str(wait)},
            )
        self._running[client] += 1
        acquired = time.monotonic()
        try:
            remaining = max(0.1, task.timeout - (acquired - started))
            status, payload = await self._send(worker, task, remaining)
        finally:
            self._used(client, add=time.monotonic() - acquired)
            self._running[client] -= 1
            if not self._running[client]:
                del self._running[client]
        self._release(worker)
        if status == "error":
            code, message = payload
            raise QueryError(message, code)
        self.cache.put(task, payload)
        return payload

    async def _run_fast(self, task: QueryTask) -> QueryReply | None:
        """Try ``task`` in the fast lane; None when it needs longer than the lane allows."""
        worker = self._fast
        assert worker is not None
        self._fast_busy = True
        limit = min(self.settings.fast_lane_seconds, task.timeout)
        try:
            status, payload = await self._send(worker, replace(task, timeout=limit), limit)
        except QueryError as exc:
            if exc.status_code == 504:
                return None  # too slow for the lane; the worker was replaced
            raise
        finally:
            if self._fast is worker:
                self._fast_busy = False
        if status == "error":
            code, message = payload
            if code == 504:  # the store stopped it at the lane's limit
                return None
            raise QueryError(message, code)
        return payload

    async def _send(self, worker: Worker, task: QueryTask, limit: float) -> tuple[str, Any]:
        """Send ``task`` to ``worker`` and wait for its answer at most ``limit`` seconds
        (plus a moment, so the store can stop the query itself with a better message)."""
        fast = worker is self._fast
        try:
            worker.conn.send(task)
            return await asyncio.to_thread(_receive, worker.conn, limit + 0.5)
        except _OverrunError:
            self._retire(worker, fast=fast)
            raise QueryError(
                f"query stopped: it ran longer than the time limit of {task.timeout:g} s",
                504,
            ) from None
        except (EOFError, OSError):
            memory = await asyncio.to_thread(worker.died_of_memory)
            self._retire(worker, fast=fast)
            if memory:
                raise QueryError(memory_message(self.settings.worker_memory_mb), 507) from None
            raise QueryError("query worker died while running the query", 503) from None
        except BaseException:  # cancelled (client went away): the worker is still busy
            self._retire(worker, fast=fast)
            raise

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for task in list(self._background):
            task.cancel()
        workers = self.workers
        self._all, self._idle, self._fast = set(), [], None
        for waiter in self._waiters:
            waiter.future.cancel()
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        await asyncio.gather(*(asyncio.to_thread(w.kill) for w in workers))
        shutil.rmtree(self.spool_dir, ignore_errors=True)
