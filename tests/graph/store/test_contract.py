"""The Store contract: every backend (embedded, Oxigraph server, Virtuoso) behaves the same.

Each test runs once per backend of ``conftest.BACKENDS`` on an empty store. The data are
the example cards (ingested with :func:`graph.ingest.ingest` into an in-memory embedded
store once per session, then copied graph by graph) and small inline graphs for the
term round-trips that the cards may not exercise.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from graph.errors import QueryError
from graph.store.base import REFERENCE_GRAPH, Store
from graph.store.embedded import EmbeddedStore
from ontology.namespace import ID, SG

EXAMPLES = Path(__file__).parents[3] / "examples" / "cards"
A, B = ID["card/contract-a"], ID["card/contract-b"]


@pytest.fixture(scope="session")
def example_graphs() -> dict[URIRef, Graph]:
    """The named graphs ingesting the example cards produces (cards + reference)."""
    from graph.ingest import ingest

    source = EmbeddedStore(None)
    report = ingest([EXAMPLES], source, data_dir=None)
    assert not [c.error for c in report.cards if c.error]
    graphs = {name: source.get_graph(name) for name in source.graph_names()}
    source.close()
    return graphs


def terms_graph() -> Graph:
    """Terms a store must give back unchanged: Persian, escapes, datatypes, blank nodes."""
    g = Graph()
    s, node = ID["service/contract"], BNode()
    g.add((s, RDF.type, SG.Service))
    g.add((s, RDFS.label, Literal("صدور گواهینامهٔ پایه‌یک", lang="fa")))
    g.add((s, RDFS.comment, Literal('quote " backslash \\ newline\n tab\t end')))
    g.add((s, SG.recipientsPerYear, Literal(1250000)))
    g.add((s, SG.fee, Literal("12.5", datatype=XSD.decimal)))
    g.add((s, SG.homepage, Literal("https://example.ir/خدمت?a=1&b=2")))
    g.add((s, SG.hasStage, node))
    g.add((node, RDFS.label, Literal("درخواست", lang="fa")))
    return g


def fill(store: Store, graphs: dict[URIRef, Graph]) -> None:
    for name, graph in graphs.items():
        store.replace_graph(name, graph)


def test_replace_then_get_round_trips_terms(store: Store) -> None:
    store.replace_graph(A, terms_graph())
    assert isomorphic(store.get_graph(A), terms_graph())


def test_replace_replaces_whole_graph(store: Store) -> None:
    store.replace_graph(A, terms_graph())
    second = Graph()
    second.add((ID["service/x"], RDFS.label, Literal("دوم", lang="fa")))
    store.replace_graph(A, second)
    assert isomorphic(store.get_graph(A), second)
    assert store.triple_count() == 1


def test_replace_with_no_triples_removes_graph(store: Store) -> None:
    store.replace_graph(A, terms_graph())
    store.replace_graph(A, [])
    assert store.graph_names() == []


def test_delete_graph_reports_whether_it_existed(store: Store) -> None:
    store.replace_graph(A, terms_graph())
    store.replace_graph(B, terms_graph())
    assert store.delete_graph(A) is True
    assert store.delete_graph(A) is False
    assert store.graph_names() == [B]
    assert len(store.get_graph(A)) == 0


def test_example_cards_round_trip(store: Store, example_graphs: dict[URIRef, Graph]) -> None:
    fill(store, example_graphs)
    assert store.graph_names() == sorted(example_graphs)
    assert REFERENCE_GRAPH in store.graph_names()
    assert store.triple_count() == sum(len(g) for g in example_graphs.values())
    for name, graph in example_graphs.items():
        assert isomorphic(store.get_graph(name), graph), name


def test_query_sees_union_of_graphs(store: Store, example_graphs: dict[URIRef, Graph]) -> None:
    fill(store, example_graphs)
    expected = {s for g in example_graphs.values() for s in g.subjects(RDF.type, SG.Service)}
    result = store.query(
        "PREFIX sg: <https://w3id.org/servicegraph/ontology#>\n"
        "SELECT DISTINCT ?s WHERE { ?s a sg:Service } ORDER BY ?s"
    )
    assert result.kind == "select" and result.variables == ["s"]
    assert {row[0] for row in result.rows} == expected
    assert len(expected) >= len(list(EXAMPLES.iterdir()))
    assert not result.truncated


def test_ask_and_construct(store: Store) -> None:
    store.replace_graph(A, terms_graph())
    yes = store.query(f"ASK {{ GRAPH <{A}> {{ ?s ?p ?o }} }}")
    no = store.query(f"ASK {{ GRAPH <{B}> {{ ?s ?p ?o }} }}")
    assert (yes.kind, yes.boolean, no.boolean) == ("ask", True, False)
    built = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{A}> {{ ?s ?p ?o }} }}")
    assert built.kind == "graph" and built.graph is not None
    assert isomorphic(built.graph, terms_graph())


def test_max_results_truncates_and_says_so(store: Store) -> None:
    store.replace_graph(A, terms_graph())
    result = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", max_results=3)
    assert len(result.rows) == 3 and result.truncated
    whole = store.query(f"SELECT ?p WHERE {{ GRAPH <{A}> {{ ?s ?p ?o }} }}", max_results=100)
    assert len(whole.rows) == len(terms_graph()) and not whole.truncated


@pytest.mark.parametrize(
    ("media_type", "rows"),
    [
        ("application/sparql-results+json", lambda b: len(json.loads(b)["results"]["bindings"])),
        ("text/csv", lambda b: len(list(csv.reader(io.StringIO(b.decode())))) - 1),
    ],
    ids=["json", "csv"],
)
def test_query_serialized_select(store: Store, media_type: str, rows) -> None:
    store.replace_graph(A, terms_graph())
    sparql = f"SELECT ?p ?o WHERE {{ GRAPH <{A}> {{ ?s ?p ?o }} }}"
    body, truncated = store.query_serialized(sparql, media_type)
    assert rows(body) == len(terms_graph()) and not truncated
    body, truncated = store.query_serialized(sparql, media_type, max_results=2)
    assert rows(body) == 2 and truncated


def test_query_serialized_construct_as_turtle(store: Store) -> None:
    store.replace_graph(A, terms_graph())
    body, truncated = store.query_serialized(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{A}> {{ ?s ?p ?o }} }}", "text/turtle"
    )
    assert not truncated
    assert isomorphic(Graph().parse(data=body, format="turtle"), terms_graph())


def test_export_keeps_graphs(store: Store, example_graphs: dict[URIRef, Graph]) -> None:
    fill(store, example_graphs)
    dataset = Dataset()
    dataset.parse(data=store.export("nq"), format="nquads")
    exported = {URIRef(g.identifier) for g in dataset.graphs() if len(g)}
    assert exported == set(example_graphs)
    for name, graph in example_graphs.items():
        assert isomorphic(dataset.graph(name), graph), name
    merged = Graph().parse(data=store.export("ttl"), format="turtle")
    assert len(merged) == len({t for g in example_graphs.values() for t in g})


def test_revision_changes_on_write_only(store: Store) -> None:
    first = store.revision()
    store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert store.revision() == first
    store.replace_graph(A, terms_graph())
    second = store.revision()
    assert second != first
    store.delete_graph(A)
    assert store.revision() != second


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT ?s WHERE { ?s ?p }",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    ],
    ids=["syntax-error", "service-refused"],
)
def test_bad_queries_raise_query_error(store: Store, sparql: str) -> None:
    with pytest.raises(QueryError):
        store.query(sparql)


def test_every_backend_is_a_store(store: Store) -> None:
    assert isinstance(store, Store)
    assert store.refresh() is False  # a store that wrote itself has nothing to catch up on


def test_replace_ntriples_loads_the_same_graphs(store: Store) -> None:
    from graph.store.terms import ntriples

    store.replace_ntriples({A: ntriples(terms_graph()), B: ntriples(terms_graph())})
    assert set(store.graph_names()) >= {A, B}
    assert isomorphic(store.get_graph(A), terms_graph())


def test_select_values_are_plain(store: Store) -> None:
    from graph.store.rows import Lit

    store.replace_graph(A, terms_graph())
    variables, rows = store.select_values(
        f"SELECT ?s ?n WHERE {{ ?s <{SG.recipientsPerYear}> ?n }}"
    )
    assert list(variables) == ["s", "n"]
    assert [list(r) for r in rows] == [
        [str(ID["service/contract"]), Lit("1250000", "", str(XSD.integer))]
    ]
