"""Real SPARQL clients against ``servicegraph serve`` (uvicorn in a subprocess on loopback):
SPARQLWrapper and rdflib's SPARQLStore get the same answers as the store directly."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

from ontology.namespace import SG

SELECT = """PREFIX sg: <https://w3id.org/servicegraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?system ?label WHERE { ?system a sg:System ; rdfs:label ?label } ORDER BY ?system ?label"""
CONSTRUCT = """PREFIX sg: <https://w3id.org/servicegraph/ontology#>
CONSTRUCT { ?s sg:operatedBy ?o } WHERE { ?s sg:operatedBy ?o }"""


def direct_rows(store):
    return [tuple(str(v) for v in row) for row in store.query(SELECT).rows]


def test_sparqlwrapper_select_get_and_post(server, example_store):
    expected = direct_rows(example_store)
    assert len(expected) > 20
    for method in (None, POST):
        wrapper = SPARQLWrapper(server + "/sparql")
        wrapper.setQuery(SELECT)
        wrapper.setReturnFormat(JSON)
        if method:
            wrapper.setMethod(method)
        data = wrapper.queryAndConvert()
        got = [(b["system"]["value"], b["label"]["value"]) for b in data["results"]["bindings"]]
        assert got == expected


def test_sparqlwrapper_construct(server, example_store):
    wrapper = SPARQLWrapper(server + "/sparql")
    wrapper.setQuery(CONSTRUCT)
    wrapper.setReturnFormat(TURTLE)
    body = wrapper.queryAndConvert()
    got = Graph().parse(data=body, format="turtle")
    assert isomorphic(got, example_store.query(CONSTRUCT).graph)


def test_rdflib_sparqlstore(server, example_store):
    store = SPARQLStore(server + "/sparql", returnFormat="json")
    graph = Graph(store=store)
    got = [(str(row.system), str(row.label)) for row in graph.query(SELECT)]
    assert got == direct_rows(example_store)
    assert graph.query(f"ASK {{ ?s a <{SG.Service}> }}").askAnswer is True
    services = set(graph.subjects(URIRef(str(SG.providedBy)), None))
    assert len(services) == 6
