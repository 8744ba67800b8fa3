"""The per-revision result cache of the query pool."""

from __future__ import annotations

from api.pool import ResultCache
from api.workers import QueryReply, QueryTask


def _reply(size: int) -> QueryReply:
    return QueryReply(form="select", media_type="application/sparql-results+json", body=b"x" * size)


def test_same_query_same_revision_is_reused_other_revision_is_not() -> None:
    cache = ResultCache(1_000_000)
    task = QueryTask("SELECT * WHERE { ?s ?p ?o }", revision="00000001-aa")
    cache.put(task, _reply(10))
    assert cache.get(task) == _reply(10)
    assert cache.get(QueryTask(task.sparql, revision="00000002-bb")) is None
    assert cache.get(QueryTask(task.sparql, revision="00000001-aa", format="csv")) is None


def test_bounded_in_bytes_oldest_first_and_large_answers_skipped() -> None:
    cache = ResultCache(8_000)
    tasks = [QueryTask(f"SELECT ?s{i} WHERE {{ ?s{i} ?p ?o }}", revision="1") for i in range(9)]
    for task in tasks:
        cache.put(task, _reply(1_000))
    assert cache.get(tasks[0]) is None and cache.get(tasks[-1]) is not None
    big = QueryTask("SELECT * WHERE { ?big ?p ?o }", revision="1")
    cache.put(big, _reply(5_000))  # over an eighth of the budget: never cached
    assert cache.get(big) is None


def test_rows_are_kept_by_their_estimated_size_and_a_disabled_cache_keeps_nothing() -> None:
    from rdflib import Literal

    from graph.store.base import QueryResult

    rows = QueryTask("SELECT * WHERE { ?s ?p ?o }", kind="rows", revision="1")
    result = QueryResult("select", variables=["s"], rows=[(Literal("x" * 300),)] * 10)
    reply = QueryReply(form="select", result=result)
    cache = ResultCache(1_000_000)
    cache.put(rows, reply)
    assert cache.get(rows) is reply
    small = ResultCache(8 * 3_000)  # an eighth is 3,000 bytes; the rows hold about 4,000
    small.put(rows, reply)
    assert small.get(rows) is None
    off = ResultCache(0)
    task = QueryTask("SELECT * WHERE { ?s ?p ?o }", revision="1")
    off.put(task, _reply(1))
    assert off.get(task) is None
