"""Which systems and agencies matter most: reach, brokerage and single points of failure.

* **Reach** of a node is the set of services a change to it breaks (the impact walk of
  :mod:`graph.analysis.impact`), split into direct and transitive, and weighted by
  recipients per year. Computing one walk per node costs a walk over the whole graph per
  hub, so reach is instead computed for all nodes at once bottom-up over the condensation
  (strongly connected components, which absorbs cycles in the agency hierarchy) of the
  propagation graph, uniting the service sets of successors.
* **Betweenness** is measured on the *aggregated* agency/system graph: every service is
  collapsed into the agency that provides it, so an exchange becomes an edge provider
  agency -- counterpart, next to ``operates``, ``routed_via`` and ``parent`` edges. Services
  are leaves for brokerage purposes, and dropping them removes ~80 % of the nodes. Above
  ``exact_limit`` nodes the value is NetworkX's sampled estimate with ``k`` pivots and a
  fixed seed (exact betweenness is ~19 min on the full 10,000-service graph), so the
  ranking is reproducible; results say which was used.
* **Single points of failure** are articulation points of the undirected
  service-system-agency graph (fields left out) that are systems or agencies, ranked by
  how many services their removal cuts off from the largest remaining part, plus the
  bridges whose both ends have other links.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx

from graph.analysis.projection import label_of
from graph.analysis.propagation import propagation_index

__all__ = ["Hub", "aggregated_graph", "hubs", "reach_counts", "single_points_of_failure"]

EXACT_LIMIT = 1000
SAMPLES = 256
SEED = 20240601


@dataclass
class Hub:
    """One system or agency with the measures that make it critical."""

    iri: str
    kind: str
    label: str
    direct_services: int
    transitive_services: int
    recipients_per_year: int
    unknown_recipients: int
    betweenness: float
    articulation: bool
    cut_off_services: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def reach_counts(G: nx.MultiDiGraph) -> dict[str, tuple[set[str], set[str]]]:
    """For every node, (services affected directly, services affected at any depth).

    >>> G = nx.MultiDiGraph()
    >>> for n, k in (("s1", "service"), ("s2", "service"), ("a", "system"), ("g", "system")):
    ...     G.add_node(n, kind=k)
    >>> _ = G.add_edge("s1", "a", key="depends_on"); _ = G.add_edge("s2", "g", key="depends_on")
    >>> _ = G.add_edge("a", "g", key="routed_via")
    >>> {n: (len(d), len(t)) for n, (d, t) in sorted(reach_counts(G).items()) if t}
    {'a': (1, 1), 'g': (1, 2)}
    """
    index = propagation_index(G)
    kinds = index.kind
    P = nx.DiGraph()
    P.add_nodes_from(index.succ)
    zero: dict[str, list[str]] = {}
    direct: dict[str, set[str]] = {n: set() for n in index.succ}
    for node, items in index.succ.items():
        for nxt, cost, kind in items:
            P.add_edge(node, nxt)
            if cost == 0:
                zero.setdefault(node, []).append(nxt)
            elif kinds.get(nxt) == "service" and kind != "sub_service":
                direct[node].add(nxt)
    for node, members in zero.items():  # an agency's own systems' dependents are direct
        for member in members:
            direct[node] |= direct[member]
    C = nx.condensation(P)
    members_of = C.graph["mapping"]
    groups: dict[int, list[str]] = {}
    for node, comp in members_of.items():
        groups.setdefault(comp, []).append(node)
    reach: dict[int, set[str]] = {}
    for comp in reversed(list(nx.topological_sort(C))):
        acc: set[str] = set()
        for node in groups[comp]:
            if kinds.get(node) == "service":
                acc.add(node)
            acc |= direct[node]
        for child in C.successors(comp):
            acc |= reach[child]
        reach[comp] = acc
    result: dict[str, tuple[set[str], set[str]]] = {}
    for node, comp in members_of.items():
        transitive = reach[comp] - {node}
        result[node] = (direct[node], transitive)
    return result


def aggregated_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """The undirected agency/system graph, services collapsed into their providing agency.

    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("ag", "s", key="provides"); _ = G.add_edge("s", "sys", key="depends_on")
    >>> sorted(aggregated_graph(G).edges(data="weight"))
    [('ag', 'sys', 1)]
    """
    index = propagation_index(G)
    A = nx.Graph()
    for node, kind in index.kind.items():
        if kind in ("agency", "system"):
            A.add_node(node)
    for u, v, kind in G.edges(keys=True):
        pairs: list[tuple[str, str]] = []
        if kind in ("depends_on", "delivered_through"):
            pairs = [(a, v) for a in index.providers.get(u, ())]
        elif kind in ("operates", "routed_via", "parent"):
            pairs = [(u, v)]
        for a, b in pairs:
            if a == b:
                continue
            weight = A.edges[a, b]["weight"] + 1 if A.has_edge(a, b) else 1
            A.add_edge(a, b, weight=weight)
    return A


def betweenness(
    G: nx.MultiDiGraph, *, exact_limit: int = EXACT_LIMIT, k: int = SAMPLES, seed: int = SEED
) -> tuple[dict[str, float], str]:
    """Betweenness on :func:`aggregated_graph` and the method used ("exact"/"sampled k=N")."""
    A = aggregated_graph(G)
    n = A.number_of_nodes()
    if n <= exact_limit:
        return nx.betweenness_centrality(A, normalized=True), "exact"
    return (
        nx.betweenness_centrality(A, k=min(k, n), normalized=True, seed=seed),
        f"sampled k={min(k, n)} seed={seed}",
    )


def single_points_of_failure(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Articulation points (systems/agencies) with the services each cuts off, and bridges.

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["s1", "s2", "s3"], kind="service")
    >>> G.add_nodes_from(["x", "y"], kind="system")
    >>> _ = G.add_edge("s1", "x", key="depends_on"); _ = G.add_edge("s2", "x", key="depends_on")
    >>> _ = G.add_edge("s2", "y", key="depends_on"); _ = G.add_edge("s3", "y", key="depends_on")
    >>> spof = single_points_of_failure(G)
    >>> [(p["iri"], p["cut_off_services"]) for p in spof["articulation_points"]]
    [('x', 1), ('y', 1)]
    """
    kinds = propagation_index(G).kind
    U = nx.Graph()
    U.add_nodes_from(n for n, k in kinds.items() if k in ("service", "system", "agency"))
    U.add_edges_from((u, v) for u, v in G.edges() if u in U and v in U and u != v)
    points: list[dict[str, Any]] = []
    for comp in nx.connected_components(U):
        if len(comp) < 3:
            continue
        points.extend(_cut_sizes(U.subgraph(comp), kinds))
    points = [p for p in points if kinds.get(p["iri"]) in ("system", "agency")]
    for p in points:
        p["label"] = label_of(G, p["iri"])
    points.sort(key=lambda p: (-p["cut_off_services"], -p["cut_off_nodes"], p["label"]))
    bridges = [
        {"u": u, "v": v, "u_label": label_of(G, u), "v_label": label_of(G, v)}
        for u, v in nx.bridges(U)
        if U.degree(u) > 1 and U.degree(v) > 1
    ]
    return {"articulation_points": points, "bridges": bridges}


def _cut_sizes(H: nx.Graph, kinds: dict[str, str]) -> list[dict[str, Any]]:
    """Services cut off by each articulation point of the connected graph ``H``.

    Uses the block-cut tree: removing a cut vertex splits ``H`` into the subtrees hanging
    off it; everything outside the largest piece is cut off.
    """
    cuts = set(nx.articulation_points(H))
    if not cuts:
        return []
    T = nx.Graph()
    weight: dict[Any, tuple[int, int]] = {}
    for i, block in enumerate(nx.biconnected_components(H)):
        inner = [n for n in block if n not in cuts]
        weight[("b", i)] = (len(inner), sum(kinds.get(n) == "service" for n in inner))
        for n in block & cuts:
            T.add_edge(("b", i), ("c", n))
    for n in cuts:
        weight[("c", n)] = (1, int(kinds.get(n) == "service"))
    root = next(iter(T))
    total = (H.number_of_nodes(), sum(kinds.get(n) == "service" for n in H))
    below: dict[Any, tuple[int, int]] = {}
    parent = dict(nx.bfs_predecessors(T, root))
    for node in reversed(list(nx.bfs_tree(T, root))):
        nodes, services = weight[node]
        for child in T.neighbors(node):
            if parent.get(child) == node:
                nodes += below[child][0]
                services += below[child][1]
        below[node] = (nodes, services)
    out = []
    for n in cuts:
        c = ("c", n)
        pieces = [below[ch] for ch in T.neighbors(c) if parent.get(ch) == c]
        if c != root:
            pieces.append((total[0] - below[c][0], total[1] - below[c][1]))
        largest = max(pieces)
        out.append(
            {
                "iri": n,
                "cut_off_nodes": sum(p[0] for p in pieces) - largest[0],
                "cut_off_services": sum(p[1] for p in pieces) - largest[1],
            }
        )
    return out


def hubs(
    G: nx.MultiDiGraph,
    top: int | None = None,
    *,
    exact_limit: int = EXACT_LIMIT,
    k: int = SAMPLES,
    seed: int = SEED,
) -> dict[str, Any]:
    """Systems and agencies ranked by transitive reach, then direct reach and betweenness.

    Returns ``{"hubs": [Hub...], "betweenness_method": str, "bridges": [...]}``.
    """
    reach = reach_counts(G)
    bc, method = betweenness(G, exact_limit=exact_limit, k=k, seed=seed)
    spof = single_points_of_failure(G)
    cut = {p["iri"]: p["cut_off_services"] for p in spof["articulation_points"]}
    rows: list[Hub] = []
    for node, kind in propagation_index(G).kind.items():
        if kind not in ("system", "agency"):
            continue
        direct, transitive = reach[node]
        recipients = [G.nodes[s].get("recipients_per_year") for s in transitive]
        rows.append(
            Hub(
                iri=node,
                kind=kind,
                label=label_of(G, node),
                direct_services=len(direct),
                transitive_services=len(transitive),
                recipients_per_year=sum(r for r in recipients if r is not None),
                unknown_recipients=sum(r is None for r in recipients),
                betweenness=round(bc.get(node, 0.0), 6),
                articulation=node in cut,
                cut_off_services=cut.get(node, 0),
            )
        )
    rows.sort(key=lambda h: (-h.transitive_services, -h.direct_services, -h.betweenness, h.label))
    return {
        "hubs": rows[:top] if top else rows,
        "betweenness_method": method,
        "bridges": spof["bridges"],
    }
