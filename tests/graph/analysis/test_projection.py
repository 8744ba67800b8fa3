"""The projection contract on the hand-made network, and its cache per store revision."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import RDF

from graph.analysis.sources import (
    cached_dependency_graph,
    dependency_graph,
    dependency_graph_from_rdf,
)
from ontology.namespace import ID, REF, SG, concept
from tests.graph.analysis.analysis_network import node

S1 = node("service", "s1")


def test_node_kinds_and_labels(network: nx.MultiDiGraph):
    kinds = {n: d["kind"] for n, d in network.nodes(data=True)}
    assert kinds[S1] == "service"
    assert kinds[node("system", "shahkar")] == "system"
    assert kinds[node("agency", "cra")] == "agency"
    assert kinds[node("field", "mobile-number")] == "field"
    shahkar = network.nodes[node("system", "shahkar")]
    assert (shahkar["label_fa"], shahkar["label_en"]) == ("شاهکار", "Shahkar")
    assert shahkar["aliases"] == ["سرویس شاهکار"]
    assert shahkar["status"] == "reference" and shahkar["collective"] is False
    assert network.nodes[node("agency", "all")]["collective"] is True


def test_service_attributes(network: nx.MultiDiGraph):
    s1 = network.nodes[S1]
    assert s1["service_id"] == "1001" and s1["label_fa"] == "خدمت یک"
    assert s1["recipients_per_year"] == 1000
    assert (s1["card"], s1["source"]) == (str(ID["card/1"]), "s1.txt")
    assert (s1["stages_total"], s1["stages_known"], s1["stages_electronic"]) == (4, 4, 3)
    assert network.nodes[node("service", "s2")]["recipients_per_year"] is None


@pytest.mark.parametrize(
    ("u", "v", "kind"),
    [
        (node("agency", "a1"), S1, "provides"),
        (node("agency", "cra"), node("system", "shahkar"), "operates"),
        (S1, node("system", "shahkar"), "depends_on"),
        (S1, node("agency", "y"), "depends_on"),
        (node("service", "s6"), node("system", "local"), "delivered_through"),
        (S1, node("field", "mobile-number"), "uses_field"),
        (node("agency", "cra"), node("agency", "ict"), "parent"),
        (node("service", "s4"), node("service", "s5"), "sub_service"),
        (node("system", "shahkar"), node("system", "gsb"), "routed_via"),
        (node("system", "shahkar"), node("field", "mobile-number"), "carries"),
    ],
    ids=lambda v: v.rsplit("/", 1)[-1] if isinstance(v, str) else v,
)
def test_edges_of_every_kind(network: nx.MultiDiGraph, u, v, kind):
    assert network.has_edge(u, v, key=kind)
    assert network.edges[u, v, kind]["kind"] == kind


def test_depends_on_edge_attributes(network: nx.MultiDiGraph):
    edge = network.edges[S1, node("system", "shahkar"), "depends_on"]
    assert edge["inquiry"] == "online" and edge["scope"] == "external"
    assert edge["fields"] == [node("field", "mobile-number")]
    assert edge["exchanges"] == [str(ID["exchange/s1-1"])]
    # non_electronic_agency collapses to non_electronic
    s3 = node("service", "s3")
    assert network.edges[s3, node("agency", "cra"), "depends_on"]["inquiry"] == "non_electronic"


def test_rows_to_one_counterpart_aggregate_with_most_severe_inquiry(network_dataset: Dataset):
    ds = Dataset()
    for quad in network_dataset.quads((None, None, None, None)):
        ds.add(quad)
    card, s1, x = ID["card/extra"], ID["service/s1"], ID["exchange/s1-9"]
    ds.add((s1, SG.hasExchange, x, card))
    ds.add((x, SG.counterpartSystem, REF["system/nocr-identity"], card))
    ds.add((x, SG.inquiryType, concept("inquiry", "online"), card))
    ds.add((x, SG.exchangesField, REF["field/mobile-number"], card))
    G = dependency_graph_from_rdf(ds)
    nocr = node("system", "nocr-identity")
    assert G.number_of_edges(S1, nocr) == 1
    edge = G.edges[S1, nocr, "depends_on"]
    assert edge["inquiry"] == "online"  # batch + online rows: the most severe wins
    assert sorted(edge["exchanges"]) == sorted([str(ID["exchange/s1-2"]), str(x)])
    assert sorted(edge["fields"]) == [node("field", "mobile-number"), node("field", "national-id")]


def test_store_projection_equals_rdflib_projection_and_is_cached(network_dataset, network):
    from graph.store.embedded import EmbeddedStore

    store = EmbeddedStore(None)
    for graph in network_dataset.graphs():
        if len(graph):
            store.replace_graph(graph.identifier, graph)
    G = dependency_graph(store)
    assert nx.utils.edges_equal(G.edges(keys=True, data=True), network.edges(keys=True, data=True))
    assert dict(G.nodes(data=True)) == dict(network.nodes(data=True))
    first = cached_dependency_graph(store)
    assert cached_dependency_graph(store) is first
    extra = Graph()
    extra.add((ID["service/s9"], RDF.type, SG.Service))
    extra.add((ID["service/s9"], SG.recipientsPerYear, Literal(7)))
    store.replace_graph(ID["card/9"], extra)
    second = cached_dependency_graph(store)
    assert second is not first
    assert second.nodes[str(ID["service/s9"])]["recipients_per_year"] == 7
