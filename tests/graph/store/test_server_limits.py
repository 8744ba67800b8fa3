"""Real servers cutting results short, and RemoteStore saying so.

Virtuoso's test database has ``ResultSetMaxRows = VIRTUOSO_MAX_ROWS`` and its "anytime"
timeout answers 200 with partial aggregates; Oxigraph server started with ``--timeout-s 1``
stops writing mid-body. None of these may come back as a complete result.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS

from graph.errors import QueryError
from graph.store.remote import RemoteStore
from ontology.namespace import ID
from tests.graph.store.conftest import remote_store
from tests.graph.store.servers import VIRTUOSO_MAX_ROWS, Server, ServerMissingError, oxigraph_server

pytestmark = pytest.mark.server
BIG = ID["card/limits-big"]
SIZE = 3 * VIRTUOSO_MAX_ROWS
# every combination of three triples: far more work than any timeout below allows
HEAVY = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BIG}> {{ ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }} }}"


def big_graph() -> Graph:
    g = Graph()
    for i in range(SIZE):
        g.add((ID[f"service/limits-{i}"], RDFS.label, Literal(f"خدمت {i}", lang="fa")))
    return g


@pytest.fixture
def virtuoso_big(virtuoso: Server) -> Iterator[RemoteStore]:
    store = remote_store(virtuoso)
    store.replace_graph(BIG, big_graph())
    yield store
    store.close()


def test_virtuoso_row_cap_is_paged_or_reported(virtuoso_big: RemoteStore) -> None:
    select = f"SELECT ?s WHERE {{ GRAPH <{BIG}> {{ ?s ?p ?o }} }}"
    result = virtuoso_big.query(select)  # parsed results are read page by page
    assert len({row[0] for row in result.rows}) == SIZE and not result.truncated
    capped = virtuoso_big.query(select, max_results=SIZE - 1)
    assert len(capped.rows) == SIZE - 1 and capped.truncated
    body, truncated = virtuoso_big.query_serialized(select, "application/sparql-results+json")
    assert truncated and len(json.loads(body)["results"]["bindings"]) <= VIRTUOSO_MAX_ROWS


def test_virtuoso_reads_whole_graph_past_row_cap(virtuoso_big: RemoteStore) -> None:
    assert len(virtuoso_big.get_graph(BIG)) == SIZE
    assert virtuoso_big.triple_count() == SIZE


def test_virtuoso_anytime_timeout_is_reported(virtuoso_big: RemoteStore) -> None:
    result = virtuoso_big.query(HEAVY, timeout=0.5)
    assert result.truncated and "S1TAT" in (result.note or "")


def test_oxigraph_timeout_cut_is_an_error() -> None:
    try:
        manager = oxigraph_server(timeout_s=1)
        server = manager.__enter__()
    except ServerMissingError as exc:
        pytest.skip(str(exc))
    try:
        store = remote_store(server)
        store.replace_graph(BIG, big_graph())
        with pytest.raises(QueryError, match="cut the result short") as info:
            store.query(HEAVY)
        assert info.value.status_code == 504
        store.close()
    finally:
        manager.__exit__(None, None, None)
