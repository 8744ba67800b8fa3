"""What changed between two versions of the graph, and what each change reaches.

``servicegraph diff OLD NEW`` compares two projections (data directories or exported
``.ttl``/``.trig``/``.nq``/``.nt`` files). A dependency is an edge a service or system
needs: ``depends_on``, ``delivered_through`` or ``routed_via``. For every added or
removed dependency the report gives the services it reaches (the service itself and the
main services it is part of; for a routing change, every service of the routed system) and
their recipients; a changed inquiry mode (say batch -> online) is listed as a change. Per
counterpart the blast radius before and after (direct and transitive services) shows how
the exposure of a hub moved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.analysis.impact import SEVERITY, people, reach
from graph.analysis.projection import DependencyGraph, label_of
from graph.analysis.propagation import propagation_index

__all__ = ["DEPENDENCY_EDGES", "diff_graphs", "load_graph"]

DEPENDENCY_EDGES = ("depends_on", "delivered_through", "routed_via")
_SUFFIXES = (".ttl", ".trig", ".nq", ".nt")  # files diff reads, by suffix (GRAPH_FORMATS keys)


def load_graph(path: Path) -> DependencyGraph:
    """The projection of a data directory (embedded store) or an exported RDF file."""
    from graph.errors import NotFoundError, ServicegraphError

    if path.is_dir():
        from graph.analysis.sources import stored_dependency_graph
        from graph.settings import get_settings

        return stored_dependency_graph(get_settings(data_dir=path, store=None))
    if not path.exists():
        raise NotFoundError(f"{path}: no such data directory or file")
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        raise ServicegraphError(f"{path}: unknown RDF format, use {', '.join(_SUFFIXES)}")
    from graph.analysis.formats import graph_from_file

    return graph_from_file(path, suffix[1:])


def _dependencies(G: DependencyGraph) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True) if k in DEPENDENCY_EDGES}


def _reached(G: DependencyGraph, u: str, kind: str) -> list[str]:
    """Services a change to the dependency ``u -> ?`` of ``kind`` reaches in ``G``."""
    kinds = propagation_index(G).kind
    dist, _ = reach(G, u)
    return sorted(n for n in dist if kinds.get(n) == "service")


def _describe(G: DependencyGraph, key: tuple[str, str, str], data: dict[str, Any]) -> dict:
    u, v, kind = key
    services = _reached(G, u, kind)
    recipients, unknown = people(G, services)
    index = propagation_index(G)
    inquiry = data.get("inquiry", "online" if kind == "delivered_through" else "unknown")
    return {
        "from": u,
        "from_label": label_of(G, u),
        "from_kind": index.kind.get(u),
        "to": v,
        "to_label": label_of(G, v),
        "kind": kind,
        "agencies": [label_of(G, a) for a in index.providers.get(u, ())],
        "inquiry": inquiry if kind != "routed_via" else None,
        "severity": SEVERITY.get(inquiry) if kind != "routed_via" else None,
        "fields": [label_of(G, f) for f in data.get("fields", ())],
        "services_reached": len(services),
        "recipients_per_year": recipients,
        "unknown_recipients": unknown,
    }


def _radius(G: DependencyGraph, node: str) -> tuple[int, int]:
    if node not in G:
        return (0, 0)
    kinds = propagation_index(G).kind
    dist, _ = reach(G, node)
    services = [n for n in dist if kinds.get(n) == "service"]
    return (sum(dist[n] == 1 for n in services), len(services))


def _moved(row: dict[str, Any]) -> int:
    return -abs(row["transitive_after"] - row["transitive_before"])


def diff_graphs(old: DependencyGraph, new: DependencyGraph) -> dict[str, Any]:
    """Added, removed and changed dependencies between two projections, with their reach.

    >>> import networkx as nx

    >>> old = nx.MultiDiGraph(); new = nx.MultiDiGraph()
    >>> for G in (old, new):
    ...     G.add_node("s", kind="service", recipients_per_year=10); G.add_node("x", kind="system")
    >>> _ = old.add_edge("s", "x", key="depends_on", inquiry="batch")
    >>> _ = new.add_edge("s", "x", key="depends_on", inquiry="online")
    >>> new.add_node("y", kind="system"); _ = new.add_edge("s", "y", key="depends_on")
    >>> d = diff_graphs(old, new)
    >>> [(a["from"], a["to"]) for a in d["added"]], d["changed"][0]["inquiry"]
    ([('s', 'y')], ['batch', 'online'])
    """
    before, after = _dependencies(old), _dependencies(new)
    added = [_describe(new, k, after[k]) for k in sorted(after.keys() - before.keys())]
    removed = [_describe(old, k, before[k]) for k in sorted(before.keys() - after.keys())]
    changed = []
    for key in sorted(before.keys() & after.keys()):
        was, now = before[key].get("inquiry"), after[key].get("inquiry")
        if was != now:
            row = _describe(new, key, after[key])
            row["inquiry"] = [was, now]
            row["severity"] = [SEVERITY.get(was or ""), SEVERITY.get(now or "")]
            changed.append(row)
    touched = {k[1] for k in (after.keys() ^ before.keys())} | {r["to"] for r in changed}
    radius = []
    for node in sorted(touched):
        (d0, t0), (d1, t1) = _radius(old, node), _radius(new, node)
        label = label_of(new if node in new else old, node)
        radius.append(
            {"iri": node, "label": label, "direct_before": d0, "direct_after": d1,
             "transitive_before": t0, "transitive_after": t1}
        )  # fmt: skip
    services_old = {n for n, k in old.nodes(data="kind") if k == "service"}
    services_new = {n for n, k in new.nodes(data="kind") if k == "service"}
    return {
        "added": added,
        "removed": removed,
        "changed": changed,
        "radius": sorted(
            radius, key=lambda r: -abs(r["transitive_after"] - r["transitive_before"])
        ),
        "services_added": [
            {"iri": s, "title": label_of(new, s)} for s in sorted(services_new - services_old)
        ],
        "services_removed": [
            {"iri": s, "title": label_of(old, s)} for s in sorted(services_old - services_new)
        ],
    }
