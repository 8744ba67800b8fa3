"""Hubs, reach, betweenness and single points of failure."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.analysis.criticality import (
    aggregated_graph,
    betweenness,
    hubs,
    reach_counts,
    single_points_of_failure,
)
from graph.analysis.impact import impact
from tests.graph.analysis.analysis_network import node


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
    # s1 1000 + s4 200; s5 (500) is reached through its sub-service s4, counted there
    assert (gsb.recipients_per_year, gsb.unknown_recipients) == (1200, 1)
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
    found = single_points_of_failure(network, include_org=True)["articulation_points"]
    assert {p["iri"]: p["cut_off_services"] for p in found} == _brute_force(network)
    # the NOCR identity system is the only link of NOCR and its service s7 to the rest,
    # and NOCR the only link of s7
    assert [(p["iri"], p["cut_off_services"], p["cut_off_nodes"]) for p in found] == [
        (node("system", "nocr-identity"), 1, 2),
        (node("agency", "nocr"), 1, 1),
    ]


def _random_network(
    rng: random.Random, agencies: int, systems: int, services: int, uses: list[int]
) -> nx.MultiDiGraph:
    """Services provided by a random agency, each depending on a random number (one of
    ``uses``) of random systems ``sys0``, ``sys1`` ..."""
    G = nx.MultiDiGraph()
    agency_ids = [f"ag{i}" for i in range(agencies)]
    system_ids = [f"sys{i}" for i in range(systems)]
    G.add_nodes_from(agency_ids, kind="agency")
    G.add_nodes_from(system_ids, kind="system")
    for i in range(services):
        s = f"s{i}"
        G.add_node(s, kind="service")
        G.add_edge(rng.choice(agency_ids), s, key="provides")
        for target in rng.sample(system_ids, rng.choice(uses)):
            G.add_edge(s, target, key="depends_on")
    return G


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_articulation_points_match_brute_force_on_random_graphs(seed: int):
    G = _random_network(random.Random(seed), agencies=5, systems=8, services=30, uses=[0, 1, 1, 2])
    found = single_points_of_failure(G)["articulation_points"]
    assert {p["iri"]: p["cut_off_services"] for p in found} == _brute_force(G)


def test_bridges_leave_out_leaf_edges(network: nx.MultiDiGraph):
    bridges = single_points_of_failure(network)["bridges"]
    degree = nx.Graph(network.to_undirected()).degree
    for b in bridges:
        assert degree(b["u"]) > 1 and degree(b["v"]) > 1


@pytest.mark.parametrize("seed", [1, 2])
def test_betweenness_equals_networkx_exact_and_sampled(seed: int):
    rng = random.Random(seed)
    G = _random_network(rng, agencies=12, systems=10, services=40, uses=[1, 2, 3])
    systems = [f"sys{i}" for i in range(10)]
    for sys_ in systems[1:]:
        if rng.random() < 0.5:
            G.add_edge(sys_, systems[0], key="routed_via")
    A = aggregated_graph(G)
    exact, how = betweenness(G)
    assert how == "exact"
    assert exact == pytest.approx(nx.betweenness_centrality(A, normalized=True), abs=1e-12)
    sampled, how = betweenness(G, exact_limit=5, k=6, seed=seed)
    expected = nx.betweenness_centrality(A, k=6, normalized=True, seed=seed)
    assert how == f"sampled k=6 seed={seed}"
    assert sampled == pytest.approx(expected, abs=1e-12)


def test_collective_entry_is_flagged_and_ranked_after_real_hubs(network: nx.MultiDiGraph):
    G = network.copy()
    everyone = node("agency", "all")
    for s in ("s1", "s2", "s3", "s4", "s6"):  # "all agencies" named by five services
        G.add_edge(node("service", s), everyone, key="depends_on", inquiry="online", fields=[])
    rows = hubs(G)["hubs"]
    placeholder = next(h for h in rows if h.iri == everyone)
    assert placeholder.collective and placeholder.transitive_services == 6  # s5 via s4
    real = [h for h in rows if not h.collective]
    assert rows[: len(real)] == real and real[0].iri != everyone
    assert hubs(G, 1)["hubs"][0].iri != everyone
    assert hubs(G, collective_last=False)["hubs"][0].iri == everyone


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_reach_matches_impact_on_random_graphs_with_sub_services(seed: int):
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    agencies = [f"ag{i}" for i in range(6)]
    systems = [f"sys{i}" for i in range(6)]
    G.add_nodes_from(agencies, kind="agency")
    G.add_nodes_from(systems, kind="system")
    for a, b in zip(agencies, agencies[1:] + agencies[:1], strict=True):  # a parent cycle
        if rng.random() < 0.6:
            G.add_edge(a, b, key="parent")
    for sys_ in systems:
        G.add_edge(rng.choice(agencies), sys_, key="operates")
        if rng.random() < 0.5:
            G.add_edge(sys_, rng.choice(systems), key="routed_via")
    services = [f"s{i}" for i in range(25)]
    G.add_nodes_from(services, kind="service", recipients_per_year=10)
    for i, s in enumerate(services):
        G.add_edge(rng.choice(agencies), s, key="provides")
        for target in rng.sample(systems + agencies, rng.choice([0, 1, 2])):
            G.add_edge(s, target, key="depends_on", inquiry="online", fields=[])
        if i and rng.random() < 0.3:
            G.add_edge(s, rng.choice(services[:i]), key="sub_service")
    reach = reach_counts(G)
    for n in systems + agencies + services:
        result = impact(G, [n])
        listed = {s.iri for s in result.services} - {n}
        assert reach[n][1] == listed, n
        assert reach[n][0] == {s.iri for s in result.services if s.direct}, n
        if n not in services:
            row = next(h for h in hubs(G)["hubs"] if h.iri == n)
            assert row.recipients_per_year == result.totals["recipients_per_year"], n
