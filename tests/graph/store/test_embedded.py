"""The embedded pyoxigraph store: atomic replace, read-only opens, limits, no network."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from graph.errors import QueryError, StoreError
from graph.store import RESULT_FORMATS, Store
from graph.store.embedded import EmbeddedStore
from ontology.namespace import ID, SG

G1, G2 = ID["card/test-1"], ID["card/test-2"]


def _graph(n: int, tag: str) -> Graph:
    g = Graph()
    for i in range(n):
        node = ID[f"service/{tag}-{i}"]
        g.add((node, RDFS.label, Literal(f'خدمت «{tag}» {i}\n"quoted"', lang="fa")))
        g.add((node, SG.recipientsPerYear, Literal(i)))
    return g


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    s = EmbeddedStore(tmp_path)
    s.replace_graph(G1, _graph(3, "a"))
    s.replace_graph(G2, _graph(2, "b"))
    yield s
    s.close()


def test_is_a_store(store: EmbeddedStore) -> None:
    assert isinstance(store, Store)
    assert (store.path / "CURRENT").exists()


def test_replace_roundtrip_and_only_its_graph(store: EmbeddedStore) -> None:
    new = _graph(5, "c")
    store.replace_graph(G1, new)
    assert isomorphic(store.get_graph(G1), new)
    assert isomorphic(store.get_graph(G2), _graph(2, "b"))
    assert store.graph_names() == sorted([G1, G2])
    assert store.triple_count() == 2 * 5 + 2 * 2


def test_failure_midway_keeps_old_graph(store: EmbeddedStore) -> None:
    def broken():
        yield from _graph(2, "x")
        raise RuntimeError("crash while producing triples")

    with pytest.raises(RuntimeError):
        store.replace_graph(G1, broken())
    bad = [(URIRef("http://example.org/a b"), RDFS.label, Literal("x"))]  # invalid IRI
    with pytest.raises((StoreError, ValueError)):
        store.replace_graphs({G2: _graph(1, "y"), G1: bad})
    assert isomorphic(store.get_graph(G1), _graph(3, "a"))
    assert isomorphic(store.get_graph(G2), _graph(2, "b"))  # same transaction: not applied


def _write_big(path: str, written: Any) -> None:
    s = EmbeddedStore(Path(path))
    s.replace_graph(G1, _graph(20_000, "big"))
    written.set()  # one whole write is in; the kill comes during the next ones
    while True:
        s.replace_graph(G1, _graph(20_000, "big"))


def test_killed_writer_leaves_old_or_new_graph(tmp_path: Path) -> None:
    s = EmbeddedStore(tmp_path)
    s.replace_graph(G1, _graph(3, "a"))
    s.close()
    del s
    ctx = multiprocessing.get_context("spawn")
    written = ctx.Event()
    child = ctx.Process(target=_write_big, args=(str(tmp_path), written))
    child.start()
    assert written.wait(120), "the writer never finished a write"
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    reopened = EmbeddedStore(tmp_path)
    count = len(reopened.get_graph(G1))
    assert count in (6, 40_000), count  # never a partial graph
    assert count == 40_000  # and the write that finished before the kill is kept


def test_delete_graph(store: EmbeddedStore) -> None:
    assert store.delete_graph(G2) is True
    assert store.delete_graph(G2) is False
    assert store.graph_names() == [G1]


def test_revision_changes_on_write(store: EmbeddedStore) -> None:
    before = store.revision()
    store.replace_graph(G2, _graph(1, "z"))
    assert store.revision() != before


def test_read_only_sees_data_and_refuses_writes(store: EmbeddedStore, tmp_path: Path) -> None:
    """Readers open published snapshots (regression: reading the live files during writes
    failed at random with missing-SST corruption errors)."""
    store.publish()
    reader = EmbeddedStore(tmp_path, read_only=True)
    assert reader.triple_count() == store.triple_count()
    with pytest.raises(StoreError, match="read-only"):
        reader.replace_graph(G1, _graph(1, "r"))
    store.replace_graph(G2, _graph(7, "n"))
    assert reader.refresh() is False  # not published yet: the reader keeps its snapshot
    assert len(reader.get_graph(G2)) == 4
    store.revision()  # handing out a revision publishes it
    assert reader.refresh() is True
    assert len(reader.get_graph(G2)) == 14
    assert reader.refresh() is False


def test_snapshots_are_published_on_close_and_pruned(tmp_path: Path) -> None:
    writer = EmbeddedStore(tmp_path)
    for n in range(5):
        writer.replace_graph(G1, _graph(n + 1, "p"))
        writer.revision()
    writer.close()
    snapshots = sorted(p.name for p in (tmp_path / "snapshots").iterdir())
    assert len(snapshots) == 3
    assert (tmp_path / "store.revision").read_text() == snapshots[-1]
    reader = EmbeddedStore(tmp_path, read_only=True)
    assert len(reader.get_graph(G1)) == 2 * 5


def test_second_writer_is_refused_with_a_clear_error(store: EmbeddedStore, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"another servicegraph process|cannot open"):
        EmbeddedStore(tmp_path)


def test_read_only_without_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here yet"):
        EmbeddedStore(tmp_path / "empty", read_only=True)


def test_query_union_default_graph_and_terms(store: EmbeddedStore) -> None:
    result = store.query(f"SELECT ?s ?n WHERE {{ ?s <{SG.recipientsPerYear}> ?n }} ORDER BY ?n")
    assert result.kind == "select" and len(result.rows) == 5  # both graphs
    assert result.rows[0][1] == Literal(0)
    label = store.query(f"SELECT ?l WHERE {{ <{ID['service/a-0']}> <{RDFS.label}> ?l }}")
    assert label.rows[0][0] == Literal('خدمت «a» 0\n"quoted"', lang="fa")
    assert store.query("ASK { ?s ?p ?o }").boolean is True
    graph = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}").graph
    assert isomorphic(graph, _graph(2, "b"))


def test_query_max_results_truncates(store: EmbeddedStore) -> None:
    result = store.query("SELECT * WHERE { ?s ?p ?o }", max_results=4)
    assert result.truncated and len(result.rows) == 4
    exact = store.query("SELECT * WHERE { ?s ?p ?o }", max_results=10)
    assert not exact.truncated and len(exact.rows) == 10
    graph = store.query("CONSTRUCT WHERE { ?s ?p ?o }", max_results=3)
    assert graph.truncated and len(graph.graph) == 3


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://127.0.0.1:1/> { ?s ?p ?o } }",
        "LOAD <http://example.org/data.ttl>",
    ],
    ids=["service", "service-lowercase", "load"],
)
def test_network_is_refused(store: EmbeddedStore, query: str) -> None:
    with pytest.raises(QueryError, match="not allowed"):
        store.query(query)


def test_keyword_inside_names_is_fine(store: EmbeddedStore) -> None:
    query = f"PREFIX sg: <{SG}> SELECT ?service WHERE {{ ?service a sg:Service }} # SERVICE"
    assert store.query(query).rows == []


def test_syntax_error_is_query_error(store: EmbeddedStore) -> None:
    with pytest.raises(QueryError, match="syntax"):
        store.query("SELECT WHERE {")


@pytest.mark.parametrize("fmt", sorted(RESULT_FORMATS))
def test_query_serialized_formats_and_truncation(store: EmbeddedStore, fmt: str) -> None:
    query = "PREFIX x: <http://x/> SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
    body, truncated = store.query_serialized(query, RESULT_FORMATS[fmt], max_results=3)
    assert truncated
    full, cut = store.query_serialized(query, RESULT_FORMATS[fmt], max_results=100)
    assert not cut and len(full) > len(body)
    assert "a-0" in full.decode()


def test_query_serialized_graph(store: EmbeddedStore) -> None:
    body, truncated = store.query_serialized("CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")
    assert not truncated
    assert len(Graph().parse(data=body, format="turtle")) == store.triple_count()


@pytest.mark.parametrize("fmt", ["ttl", "nt", "xml", "jsonld", "trig", "nq"])
def test_export_formats(store: EmbeddedStore, fmt: str) -> None:
    body = store.export(fmt)
    if fmt in ("trig", "nq"):
        from rdflib import Dataset

        ds = Dataset().parse(data=body, format={"trig": "trig", "nq": "nquads"}[fmt])
        assert {URIRef(str(c.identifier)) for c in ds.graphs()} >= {G1, G2}
    else:
        rdf = {"ttl": "turtle", "nt": "nt", "xml": "xml", "jsonld": "json-ld"}[fmt]
        assert len(Graph().parse(data=body, format=rdf)) == store.triple_count()


def test_in_memory_store() -> None:
    s = EmbeddedStore(None)
    s.replace_graph(G1, _graph(1, "m"))
    assert s.triple_count() == 2 and s.revision() == "1"


def test_query_serialized_keeps_column_order_when_limited(tmp_path) -> None:
    """Regression: the LIMIT wrapper used `SELECT *`, which reordered the columns."""
    import json

    from rdflib import Literal, URIRef

    from graph.store.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path)
    store.replace_graph(URIRef("urn:g"), [(URIRef("urn:s"), URIRef("urn:p"), Literal("o"))])
    body, truncated = store.query_serialized(
        "SELECT ?o ?s ?p WHERE { ?s ?p ?o }",
        "application/sparql-results+json",
        max_results=10,
    )
    assert json.loads(body)["head"]["vars"] == ["o", "s", "p"]
    assert truncated is False
    store.close()
