"""Hostile queries against the real worker pool: bounded in bytes and memory, and fair.

Each test is named for a finding of the security review (issue "Safe under hostile
clients"); each failed before the pool had the rule it checks.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import pytest

from api.pool import QueryPool
from api.problems import ProblemError
from api.workers import QueryReply, QueryTask
from graph.errors import QueryError
from graph.settings import Settings

T = TypeVar("T")

# A hash of every pair of triples of the example store: ~10^7 SHA-512s, a minute of CPU in
# little memory (a three-way cross product would die of the worker's memory limit instead,
# at a moment that depends on the machine).
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f "
    "BIND(SHA512(CONCAT(STR(?c), STR(?f))) AS ?h) }"
)
SIMPLE = "ASK { ?s ?p ?o }"


def doubling(times: int) -> str:
    """A short CONSTRUCT whose one literal is 10 * 2**times characters long."""
    binds = ['BIND("0123456789" AS ?v0)']
    binds += [f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(times)]
    return f"CONSTRUCT {{ <urn:x> <urn:y> ?v{times} }} WHERE {{ {' '.join(binds)} }}"


def pool_settings(data_dir: Path, **limits: float) -> Settings:
    """Settings for a pool test: no answer cache (every query reaches a worker)."""
    return Settings(data_dir=data_dir, result_cache_bytes=0, **limits)


def with_pool(settings: Settings, body: Callable[[QueryPool], Awaitable[T]]) -> T:
    async def run() -> T:
        pool = QueryPool(settings)
        await pool.start()
        try:
            return await body(pool)
        finally:
            await pool.close()

    # A thread of its own: playwright's sync API (the browser tests) leaves an event loop
    # running in the main thread, where asyncio.run() refuses to start another.
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, run()).result()


def task(sparql: str, timeout: float = 20.0) -> QueryTask:
    graph = sparql.startswith("CONSTRUCT")
    accept = "text/turtle" if graph else "application/sparql-results+json"
    return QueryTask(sparql=sparql, accept=accept, timeout=timeout)


@pytest.fixture(scope="module")
def bounded(example_data_dir: Path) -> Settings:
    return Settings(
        data_dir=example_data_dir,
        query_workers=1,
        max_answer_bytes=1 << 20,
        worker_memory_mb=256,
        fast_lane_seconds=0,
        result_cache_bytes=0,
    )


def test_answer_bytes_bounded_not_only_rows(bounded):
    """Finding 4: a 1-row CONSTRUCT of 17 doublings (1.3 MB) passed the row cap."""

    async def body(pool: QueryPool) -> tuple[int, QueryError]:
        small = await pool.run(task(doubling(5)))
        with pytest.raises(QueryError) as big:
            await pool.run(task(doubling(17)))
        return len(small.body), big.value

    size, error = with_pool(bounded, body)
    assert 320 < size < 2000
    assert error.status_code == 413
    assert "1.3 MiB" in str(error) and "limit of 1 MiB" in str(error)


def test_query_worker_memory_limited_and_replaced(bounded):
    """Finding 4: 23 doublings took a worker to 2.1 GB; now the worker stops at its limit,
    the client is told why, and the next query is served by a fresh worker."""

    async def body(pool: QueryPool) -> tuple[QueryError, bytes]:
        with pytest.raises(QueryError) as error:
            await pool.run(task(doubling(25)))
        after = await pool.run(task(doubling(4)))
        return error.value, after.body

    error, after = with_pool(bounded, body)
    assert error.status_code == 507
    assert "256 MiB" in str(error)
    assert b"0123456789" * 16 in after


def test_two_slow_clients_do_not_lock_out_a_simple_query(example_data_dir):
    """Finding 5: two slow queries held both workers and every other query got 503 after
    the whole time limit; the fast lane answers a simple query meanwhile."""
    settings = pool_settings(
        example_data_dir, query_workers=2, queue_wait=1.0, fast_lane_seconds=2.0
    )

    async def body(pool: QueryPool) -> tuple[list[BaseException | object], str]:
        slow = [
            asyncio.create_task(pool.run(task(SLOW, timeout=8), client=f"10.0.0.{n}"))
            for n in (1, 2)
        ]
        while pool._idle:  # both regular workers taken by the slow queries
            await asyncio.sleep(0.05)
        simple = await pool.run(task(SIMPLE), client="10.0.0.3")
        outcomes = await asyncio.gather(*slow, return_exceptions=True)
        return outcomes, simple.body.decode()

    outcomes, simple = with_pool(settings, body)
    assert '"boolean":true' in simple.replace(" ", "")
    assert all(isinstance(o, QueryError) and o.status_code == 504 for o in outcomes)


def test_busy_pool_answers_503_with_retry_after_within_queue_wait(example_data_dir):
    """Finding 5: a request no worker can take waits ``queue_wait``, not the time limit."""
    settings = pool_settings(example_data_dir, query_workers=1, queue_wait=1.0, fast_lane_seconds=0)

    async def body(pool: QueryPool) -> ProblemError:
        slow = asyncio.create_task(pool.run(task(SLOW, timeout=6), client="a"))
        while pool._idle:
            await asyncio.sleep(0.05)
        with pytest.raises(ProblemError) as busy:
            await pool.run(task(SIMPLE), client="b")
        slow.cancel()
        await asyncio.gather(slow, return_exceptions=True)
        return busy.value

    busy = with_pool(settings, body)
    assert busy.status == 503
    assert busy.headers == {"Retry-After": "1"}


def test_free_worker_goes_to_the_client_that_used_least(example_data_dir):
    """Finding 5: a client sending many slow queries cannot starve another; the next free
    worker goes to the waiting client with the fewest queries running and the least worker
    time used lately, even when it asked later. One worker, so the order of answers is the
    order of hand-over."""
    settings = pool_settings(
        example_data_dir, query_workers=1, queue_wait=60.0, fast_lane_seconds=0
    )
    order: list[str] = []

    async def body(pool: QueryPool) -> None:
        async def ask(client: str, sparql: str, timeout: float) -> None:
            try:
                await pool.run(task(sparql, timeout=timeout), client=client)
            except QueryError:
                pass
            order.append(client)

        slow = asyncio.create_task(ask("greedy", SLOW, 3))
        while pool._idle:
            await asyncio.sleep(0.05)
        queued = [asyncio.create_task(ask("greedy", SIMPLE, 60))]
        await asyncio.sleep(0.2)  # the greedy client's second query waits first ...
        queued.append(asyncio.create_task(ask("polite", SIMPLE, 60)))
        await asyncio.gather(slow, *queued)

    with_pool(settings, body)
    # ... yet the polite client, which used no worker time, is served before it.
    assert order == ["greedy", "polite", "greedy"]


def test_large_answer_is_spooled_to_a_file_not_held_in_the_server(example_data_dir):
    """Finding 4: eight clients that never read a 26 MB answer held ~96 MiB each in the
    server. A large answer now comes back from the worker as a file the server streams."""
    settings = pool_settings(
        example_data_dir, query_workers=1, fast_lane_seconds=0, spool_answer_bytes=64 * 1024
    )

    async def body(pool: QueryPool) -> tuple[QueryReply, QueryReply, list[str], bytes, str]:
        small = await pool.run(replace(task(doubling(5)), spool=True))
        big = await pool.run(replace(task(doubling(16)), spool=True))
        assert big.path is not None
        return small, big, os.listdir(pool.spool_dir), Path(big.path).read_bytes(), pool.spool_dir

    small, big, files, content, spool_dir = with_pool(settings, body)
    assert small.path is None and b"0123456789" * 32 in small.body
    assert big.body == b"" and big.path is not None and os.path.basename(big.path) in files
    assert big.size == len(content) > 64 * 1024
    assert b"0123456789" * 2**16 in content
    assert not os.path.exists(spool_dir)  # the pool removes what is left when it closes
