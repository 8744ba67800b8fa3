"""Hubs, reach, betweenness and single points of failure."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from analysis_network import node

from graph.analysis.criticality import (
    aggregated_graph,
    betweenness,
    hubs,
    reach_counts,
    single_points_of_failure,
)
from graph.analysis.impact import impact


def test_reach_matches_impact_for_every_system_and_agency(network: nx.MultiDiGraph):
    reach = reach_counts(network)
    for n, kind in network.nodes(data="kind"):
        if kind not in ("system", "agency"):
            continue
        result = impact(network, [n])
        direct, transitive = reach[n]
        assert transitive == {s.iri for s in result.services}, n
        assert direct == {s.iri for s in result.services if s.direct}, n


def test_hub_ranking(network: nx.MultiDiGraph):
    result = hubs(network)
    rows = {h.iri: h for h in result["hubs"]}
    gsb = rows[node("system", "gsb")]
    assert (gsb.direct_services, gsb.transitive_services) == (1, 4)
    assert (gsb.recipients_per_year, gsb.unknown_recipients) == (1700, 1)
    # ITO operates GSB, so it reaches what GSB reaches
    assert rows[node("agency", "ito")].transitive_services == 4
    cra = rows[node("agency", "cra")]
    assert (cra.direct_services, cra.transitive_services) == (3, 4)
    assert result["betweenness_method"] == "exact"
    ranked = [h.transitive_services for h in result["hubs"]]
    assert ranked == sorted(ranked, reverse=True)
    assert len(hubs(network, 3)["hubs"]) == 3


def test_betweenness_is_sampled_with_fixed_seed_above_limit(network: nx.MultiDiGraph):
    exact, how = betweenness(network)
    assert how == "exact"
    first, how = betweenness(network, exact_limit=2, k=5, seed=7)
    second, _ = betweenness(network, exact_limit=2, k=5, seed=7)
    assert how == "sampled k=5 seed=7" and first == second
    assert set(first) == set(exact)


def test_aggregated_graph_collapses_services_into_providers(network: nx.MultiDiGraph):
    A = aggregated_graph(network)
    assert not any(kind == "service" for _, kind in network.nodes(data="kind") if _ in A)
    # a1 provides s1 and s4, both inquiring Shahkar: one edge of weight 2
    assert A.edges[node("agency", "a1"), node("system", "shahkar")]["weight"] == 2
    assert A.has_edge(node("system", "shahkar"), node("system", "gsb"))


def _brute_force(G: nx.MultiDiGraph) -> dict[str, int]:
    """Services cut off by removing each system/agency, the slow obvious way."""
    kinds = dict(G.nodes(data="kind"))
    U = nx.Graph()
    U.add_nodes_from(n for n, k in kinds.items() if k in ("service", "system", "agency"))
    U.add_edges_from((u, v) for u, v in G.edges() if u in U and v in U and u != v)
    out = {}
    for n in nx.articulation_points(U):
        if kinds[n] not in ("system", "agency"):
            continue
        comp = nx.node_connected_component(U, n)
        H = U.subgraph(comp - {n})
        parts = sorted(nx.connected_components(H), key=len, reverse=True)
        out[n] = sum(kinds[m] == "service" for part in parts[1:] for m in part)
    return out


def test_articulation_points_match_brute_force(network: nx.MultiDiGraph):
    found = single_points_of_failure(network)["articulation_points"]
    assert {p["iri"]: p["cut_off_services"] for p in found} == _brute_force(network)
    # the NOCR identity system is the only link of NOCR and its service s7 to the rest,
    # and NOCR the only link of s7
    assert [(p["iri"], p["cut_off_services"], p["cut_off_nodes"]) for p in found] == [
        (node("system", "nocr-identity"), 1, 2),
        (node("agency", "nocr"), 1, 1),
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_articulation_points_match_brute_force_on_random_graphs(seed: int):
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    systems = [f"sys{i}" for i in range(8)]
    agencies = [f"ag{i}" for i in range(5)]
    G.add_nodes_from(systems, kind="system")
    G.add_nodes_from(agencies, kind="agency")
    for i in range(30):
        s = f"s{i}"
        G.add_node(s, kind="service")
        G.add_edge(rng.choice(agencies), s, key="provides")
        for target in rng.sample(systems, rng.choice([0, 1, 1, 2])):
            G.add_edge(s, target, key="depends_on")
    found = single_points_of_failure(G)["articulation_points"]
    assert {p["iri"]: p["cut_off_services"] for p in found} == _brute_force(G)


def test_bridges_leave_out_leaf_edges(network: nx.MultiDiGraph):
    bridges = single_points_of_failure(network)["bridges"]
    degree = nx.Graph(network.to_undirected()).degree
    for b in bridges:
        assert degree(b["u"]) > 1 and degree(b["v"]) > 1
