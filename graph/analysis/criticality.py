"""Which systems and agencies matter most: reach, brokerage and single points of failure.

* **Reach** of a node is the set of services a change to it breaks (the impact walk of
  :mod:`graph.analysis.impact`), split into direct and transitive, and weighted by
  recipients per year. One walk per node would cost a walk over the whole graph per hub,
  so reach is computed for all nodes at once, bottom-up over the condensation (strongly
  connected components, which absorb cycles in the agency hierarchy) of the propagation
  graph, with each set of services held as the bits of one Python integer (a union of
  10,000 services is one ``|``). Services only ever lead to their main services, so the
  condensation is taken of the small agency/system part and of the sub-service links
  apart.
* **Recipients** follow the impact rule: a main service one of whose sub-services is
  reached too adds no people of its own (they are counted at the sub-service).
* **Betweenness** is measured on the aggregated agency/system graph
  (:mod:`graph.analysis.brokerage`).
* **Single points of failure** are articulation points of the undirected
  service-system-agency graph (fields left out) that are systems or agencies, ranked by
  how many services their removal cuts off from the largest remaining part, plus the
  bridges whose both ends have other links; all come from one biconnected-components pass.
* **Collective entries** (``sg:collective``: "all executive agencies", "the banks") are
  placeholders for many real agencies; their reach says little about any one of them.
  Hub rows say ``collective`` and, by default, list them after every real entry so that
  a placeholder never hides the real hubs (``collective_last=False`` ranks them among
  the rest).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from itertools import chain
from typing import Any, cast

import networkx as nx
import numpy as np

from graph.analysis.brokerage import EXACT_LIMIT, SAMPLES, SEED, aggregated_graph, betweenness
from graph.analysis.caches import derived
from graph.analysis.projection import DependencyGraph, label_of
from graph.analysis.propagation import ORGANISATIONAL_KINDS, propagation_index

__all__ = [
    "Hub",
    "Reach",
    "aggregated_graph",
    "betweenness",
    "hubs",
    "reach_counts",
    "reach_index",
    "single_points_of_failure",
]


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
    collective: bool = False
    organisational_services: int = 0  # transitive reach with organisational containment

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Reach:
    """Services reached from every node, as bit sets: bit ``i`` is ``services[i]``."""

    services: list[str]
    direct: dict[str, int]
    transitive: dict[str, int]

    def members(self, bits: int) -> set[str]:
        """The services whose bits are set."""
        return {self.services[i] for i in _bit_positions(bits, len(self.services))}


def _bit_positions(bits: int, width: int) -> np.ndarray:
    raw = np.frombuffer(bits.to_bytes((width + 7) // 8 or 1, "little"), dtype=np.uint8)
    return np.flatnonzero(np.unpackbits(raw, bitorder="little")[:width])


def _condensed_order(nodes: list[str], edges: list[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected components, every component after all those it leads to."""
    P = nx.DiGraph()
    P.add_nodes_from(nodes)
    P.add_edges_from(edges)
    C = nx.condensation(P)
    groups: dict[int, list[str]] = {}
    for node, comp in C.graph["mapping"].items():
        groups.setdefault(comp, []).append(node)
    return [groups[c] for c in reversed(list(nx.topological_sort(C)))]


def _reach(G: DependencyGraph, include_org: bool = False) -> Reach:
    index = propagation_index(G, include_org)
    kinds = index.kind
    services = [n for n, k in kinds.items() if k == "service"]
    bit = {s: 1 << i for i, s in enumerate(services)}
    direct: dict[str, int] = {}
    for node, items in index.succ.items():
        mask = 0
        for nxt, cost, kind in items:
            if cost and kind != "sub_service" and nxt in bit:
                mask |= bit[nxt]
        direct[node] = mask
    for node, members in index.zero.items():  # an agency's own systems' dependents are direct
        for member in members:
            direct[node] |= direct[member]
    # Services lead only to their main services: close each under sub_service first.
    mains = [(s, m) for s in services for m in index.one.get(s, ()) if m in bit]
    own: dict[str, int] = {}
    for comp in _condensed_order(services if mains else [], mains):
        acc = 0
        for node in comp:
            acc |= bit[node]
            for m in index.one.get(node, ()):
                acc |= own.get(m, 0)
        for node in comp:
            own[node] = acc
    transitive = {s: own.get(s, bit[s]) & ~bit[s] for s in services}
    others = [n for n in kinds if n not in bit]
    links = [(n, m) for n in others for m in index.one.get(n, ()) if m not in bit]
    links += [(n, m) for n, ms in index.zero.items() for m in ms]
    for comp in _condensed_order(others, links):
        acc = 0
        for node in comp:
            for m in chain(index.one.get(node, ()), index.zero.get(node, ())):
                acc |= own.get(m, bit[m]) if m in bit else transitive.get(m, 0)
        for node in comp:
            transitive[node] = acc
    return Reach(services, direct, transitive)


def reach_index(G: DependencyGraph, include_org: bool = False) -> Reach:
    """The :class:`Reach` of ``G`` over data dependencies (plus organisational containment
    with ``include_org``), computed once and cached with the graph."""
    name = "reach_org" if include_org else "reach"
    return derived(G, name, lambda g: _reach(cast(DependencyGraph, g), include_org))


def reach_counts(G: DependencyGraph) -> dict[str, tuple[set[str], set[str]]]:
    """For every node, (services affected directly, services affected at any depth).

    >>> G = nx.MultiDiGraph()
    >>> for n, k in (("s1", "service"), ("s2", "service"), ("a", "system"), ("g", "system")):
    ...     G.add_node(n, kind=k)
    >>> _ = G.add_edge("s1", "a", key="depends_on"); _ = G.add_edge("s2", "g", key="depends_on")
    >>> _ = G.add_edge("a", "g", key="routed_via")
    >>> {n: (len(d), len(t)) for n, (d, t) in sorted(reach_counts(G).items()) if t}
    {'a': (1, 1), 'g': (1, 2)}
    """
    r = reach_index(G)
    return {n: (r.members(r.direct[n]), r.members(r.transitive[n])) for n in r.transitive}


def _people(
    G: DependencyGraph, r: Reach, nodes: list[str], include_org: bool = False
) -> tuple[list[int], list[int]]:
    """Recipients per year and services with unknown recipients reached from each node,
    a main service left out when one of its sub-services is reached too."""
    width = len(r.services)
    if not nodes or not width:
        return [0] * len(nodes), [0] * len(nodes)
    info = G.nodes
    rec = np.array([info[s].get("recipients_per_year") or 0 for s in r.services], dtype=np.int64)
    unknown = np.array([info[s].get("recipients_per_year") is None for s in r.services])
    position = {s: i for i, s in enumerate(r.services)}
    index = propagation_index(G, include_org)
    pairs = [(position[m], position[p]) for m, ps in index.subs.items() for p in ps]
    main_at = np.array([m for m, _ in pairs], dtype=np.int64)
    part_at = np.array([p for _, p in pairs], dtype=np.int64)
    size = (width + 7) // 8
    people, unknowns = [], []
    for start in range(0, len(nodes), 256):  # bounded memory: 256 rows of bits at a time
        chunk = nodes[start : start + 256]
        raw = np.frombuffer(
            b"".join(r.transitive[n].to_bytes(size, "little") for n in chunk), dtype=np.uint8
        ).reshape(len(chunk), size)
        M = np.unpackbits(raw, axis=1, bitorder="little")[:, :width].astype(bool)
        if pairs:
            both = M[:, main_at] & M[:, part_at]
            covered = np.zeros_like(M)
            np.logical_or.at(covered.T, main_at, both.T)
            M &= ~covered
        people.extend(int(v) for v in M.astype(np.int64) @ rec)
        unknowns.extend(int(v) for v in (M & unknown).sum(axis=1))
    return people, unknowns


def single_points_of_failure(G: DependencyGraph, include_org: bool = False) -> dict[str, Any]:
    """Articulation points (systems/agencies) with the services each cuts off, and bridges
    between two systems or agencies. ``parent`` edges (organisational containment) count
    only with ``include_org``: by default a ministry is no cut point for being a parent.

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
    U: nx.Graph[str] = nx.Graph()
    U.add_nodes_from(n for n, k in kinds.items() if k in ("service", "system", "agency"))
    U.add_edges_from(
        (u, v)
        for u, v, kind in G.edges(keys=True)
        if u != v and u in U and v in U and (include_org or kind not in ORGANISATIONAL_KINDS)
    )
    blocks = cast(list[set[str]], list(nx.biconnected_components(U)))
    seen = Counter(chain.from_iterable(blocks))
    cuts = {n for n, times in seen.items() if times > 1}
    points = [p for p in _cut_sizes(blocks, cuts, kinds) if kinds.get(p["iri"]) != "service"]
    for p in points:
        p["label"] = label_of(G, p["iri"])
    points.sort(key=lambda p: (-p["cut_off_services"], -p["cut_off_nodes"], p["label"]))
    degree = dict(U.degree()).__getitem__
    bridges = []
    for block in blocks:  # a two-node block is one edge whose removal splits its component
        if len(block) == 2:
            u, v = sorted(block)
            ends_are_hubs = kinds.get(u) != "service" and kinds.get(v) != "service"
            if ends_are_hubs and degree(u) > 1 and degree(v) > 1:
                bridges.append(
                    {"u": u, "v": v, "u_label": label_of(G, u), "v_label": label_of(G, v)}
                )
    return {"articulation_points": points, "bridges": bridges}


def _cut_sizes(
    blocks: list[set[str]], cuts: set[str], kinds: dict[str, str]
) -> list[dict[str, Any]]:
    """Services cut off by each articulation point, from the block-cut forest.

    Removing a cut vertex splits its component into the subtrees of the block-cut tree
    hanging off it; everything outside the largest piece is cut off.
    """
    if not cuts:
        return []
    T = nx.Graph()
    weight: dict[Any, tuple[int, int]] = {}
    for i, block in enumerate(blocks):
        inner = [n for n in block if n not in cuts]
        weight[("b", i)] = (len(inner), sum(kinds.get(n) == "service" for n in inner))
        T.add_node(("b", i))
        for n in block & cuts:
            T.add_edge(("b", i), ("c", n))
    for n in cuts:
        weight[("c", n)] = (1, int(kinds.get(n) == "service"))
    out = []
    for tree in nx.connected_components(T):
        root = next(iter(tree))
        total = (sum(weight[t][0] for t in tree), sum(weight[t][1] for t in tree))
        below: dict[Any, tuple[int, int]] = {}
        parent = dict(nx.bfs_predecessors(T, root))
        for node in reversed(list(nx.bfs_tree(T, root))):
            nodes, services = weight[node]
            for child in T.neighbors(node):
                if parent.get(child) == node:
                    nodes += below[child][0]
                    services += below[child][1]
            below[node] = (nodes, services)
        for t in tree:
            if t[0] != "c":
                continue
            pieces = [below[ch] for ch in T.neighbors(t) if parent.get(ch) == t]
            if t != root:
                pieces.append((total[0] - below[t][0], total[1] - below[t][1]))
            largest = max(pieces)
            out.append(
                {
                    "iri": t[1],
                    "cut_off_nodes": sum(p[0] for p in pieces) - largest[0],
                    "cut_off_services": sum(p[1] for p in pieces) - largest[1],
                }
            )
    return out


def hubs(
    G: DependencyGraph,
    top: int | None = None,
    *,
    exact_limit: int = EXACT_LIMIT,
    k: int = SAMPLES,
    seed: int = SEED,
    collective_last: bool = True,
    include_org: bool = False,
) -> dict[str, Any]:
    """Systems and agencies ranked by transitive reach, then direct reach and betweenness;
    collective entries after the real ones unless ``collective_last`` is False.

    Reach, betweenness and cut points walk data dependencies; ``organisational_services``
    is the reach with organisational containment added (a ministry's bodies' services),
    shown apart, and used for the ranking only with ``include_org``. The bridges (edges
    between two systems or agencies whose removal splits the graph) are cut at ``top`` too,
    those with the most reach at their ends first.

    Returns ``{"hubs": [Hub...], "betweenness_method": str, "bridges": [...],
    "include_org": bool}``.
    """
    r = reach_index(G, include_org)
    org = reach_index(G, include_org=True)
    bc, method = betweenness(G, exact_limit=exact_limit, k=k, seed=seed, include_org=include_org)
    spof = single_points_of_failure(G, include_org)
    cut = {p["iri"]: p["cut_off_services"] for p in spof["articulation_points"]}
    info = G.nodes
    rows: list[Hub] = []
    for node, kind in propagation_index(G).kind.items():
        if kind not in ("system", "agency"):
            continue
        rows.append(
            Hub(
                iri=node,
                kind=kind,
                label=label_of(G, node),
                direct_services=r.direct[node].bit_count(),
                transitive_services=r.transitive[node].bit_count(),
                recipients_per_year=0,
                unknown_recipients=0,
                betweenness=round(bc.get(node, 0.0), 6),
                articulation=node in cut,
                cut_off_services=cut.get(node, 0),
                collective=bool(info[node].get("collective", False)),
                organisational_services=org.transitive[node].bit_count(),
            )
        )
    rows.sort(
        key=lambda h: (
            collective_last and h.collective,
            -h.transitive_services,
            -h.direct_services,
            -h.betweenness,
            h.label,
        )
    )
    shown = rows[:top] if top else rows
    people, unknown = _people(G, r, [h.iri for h in shown], include_org)
    for h, p, u in zip(shown, people, unknown, strict=True):
        h.recipients_per_year, h.unknown_recipients = p, u
    weight = {h.iri: h.transitive_services for h in rows}
    bridges = sorted(
        spof["bridges"],
        key=lambda b: (-weight.get(b["u"], 0) - weight.get(b["v"], 0), b["u_label"], b["v_label"]),
    )
    return {
        "hubs": shown,
        "betweenness_method": method,
        "bridges": bridges[:top] if top else bridges,
        "include_org": include_org,
    }
