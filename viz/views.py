"""The four views of the dependency projection, each returned as a :class:`ServiceNetwork`.

* :func:`landscape`: agencies, systems and services, with filters; above
  :data:`AGGREGATE_ABOVE` nodes it becomes :func:`aggregated` (agencies and systems only,
  services collapsed into counts on the edges) so that a national landscape stays fluid.
* :func:`focus`: one node and its neighbourhood up to a depth.
* :func:`impact_view`: what a change to a system, agency or field breaks, with the explaining
  paths emphasized, the rest faded and the totals of :func:`graph.analysis.impact.impact`.

Functions return the network; :func:`viz.page.render` turns it into HTML and the caller
decides where that goes (kglab's ``build_pyvis_graph`` habit).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence

import networkx as nx

from graph.analysis.caches import derived
from graph.analysis.impact import impact
from graph.analysis.projection import DependencyGraph
from graph.analysis.targets import names_of, resolve_target
from graph.errors import NotFoundError, QueryError
from graph.names import KINDS
from viz.layout import positions
from viz.network import Degrees, ServiceNetwork, ViewInfo, edge_dict, label_of, node_dict
from viz.styles import SEVERITY_COLOR, TARGET_COLOR, Lang, edge_style, most_severe, words

AGGREGATE_ABOVE = 400
MAX_DEPTH = 4
MAX_FOCUS_NODES = 1500
# The impact view shows the whole landscape faded behind the affected part up to this size.
IMPACT_CONTEXT_LIMIT = 600
LANDSCAPE_EDGES = frozenset(
    {
        "provides",
        "operates",
        "depends_on",
        "delivered_through",
        "parent",
        "sub_service",
        "routed_via",
    }
)
NEEDS = ("depends_on", "delivered_through")
SERVICE_TYPES = ("G2C", "G2B", "G2G")


def _degrees(G: DependencyGraph) -> Degrees:
    return derived(G, "viz_degrees", Degrees.of)


def find_nodes(G: DependencyGraph, key: str, kinds: Iterable[str] | None = None) -> list[str]:
    """Nodes named by ``key`` (:class:`graph.names.Names`: IRI, slug, service ID or name)."""
    names = names_of(G)
    return names.matches(key, tuple(kinds) if kinds else KINDS)


def find_node(G: DependencyGraph, kind: str | None, key: str) -> str:
    """The one node of ``kind`` named by ``key``, as impact resolves it (NotFoundError or
    AmbiguousTargetError otherwise)."""
    return resolve_target(G, key, kind)


def _groups(G: DependencyGraph, nodes: Iterable[str], deg: Degrees) -> dict[Hashable, str]:
    """Layout group of each node: a service or system hangs from its (first) agency."""
    groups: dict[Hashable, str] = {}
    for node in nodes:
        owners = deg.providers.get(node) or deg.operators.get(node)
        if owners:
            groups[node] = owners[0]
    return groups


def _fill(
    net: ServiceNetwork,
    G: DependencyGraph,
    nodes: Sequence[str],
    lang: Lang,
    edge_kinds: frozenset[str] | None,
) -> None:
    deg = _degrees(G)
    keep = set(nodes)
    sub = nx.MultiDiGraph()
    sub.add_nodes_from(nodes)
    edges = []
    for u in nodes:
        for _, v, kind, data in G.out_edges(u, keys=True, data=True):
            if v in keep and (edge_kinds is None or kind in edge_kinds):
                edges.append((u, v, kind, data))
                sub.add_edge(u, v)
    pos = positions(sub, _groups(G, nodes, deg))
    for node in nodes:
        net.append_node(node_dict(G, node, deg, lang, pos))
    for u, v, kind, data in edges:
        net.append_edge(edge_dict(G, u, v, kind, data, lang))


def _select(
    G: DependencyGraph,
    agencies: Sequence[str],
    systems: Sequence[str],
    service_types: Sequence[str],
) -> tuple[list[str], list[str]]:
    """(landscape nodes, selected services) for the filters; no filter = every service.

    The nodes are the services with their agencies, the systems and agencies they depend
    on, the operators of those systems, the systems they are routed via and the parent
    agencies: register entries that no card mentions are left out.
    """
    deg = _degrees(G)
    services = [n for n, k in G.nodes(data="kind") if k == "service"]
    extra: set[str] = set()
    if agencies:
        chosen = {n for a in agencies for n in _resolve(G, a, "agency")}
        # Sub-agencies belong to the agency asked for (parent edges point child -> parent).
        frontier = list(chosen)
        while frontier:
            parent = frontier.pop()
            for child, _, kind in G.in_edges(parent, keys=True):
                if kind == "parent" and child not in chosen:
                    chosen.add(child)
                    frontier.append(child)
        extra |= chosen
        services = [s for s in services if chosen & set(deg.providers.get(s, ()))]
    if systems:
        chosen = {n for s in systems for n in _resolve(G, s, "system")}
        extra |= chosen
        services = [
            s
            for s in services
            if any(v in chosen for _, v, k in G.out_edges(s, keys=True) if k in NEEDS)
        ]
    if service_types:
        wanted = {t.upper() for t in service_types}
        unknown = wanted - set(SERVICE_TYPES)
        if unknown:
            raise QueryError(f"service type {sorted(unknown)[0]!r}: expected G2C, G2B or G2G")
        services = [s for s in services if wanted & set(G.nodes[s].get("service_types") or ())]
    nodes = set(services) | extra
    for s in services:
        nodes.update(deg.providers.get(s, ()))
        nodes.update(v for _, v, k in G.out_edges(s, keys=True) if k in NEEDS)
    nodes.update(a for n in list(nodes) for a in deg.operators.get(n, ()))
    frontier = list(nodes)
    while frontier:  # routing and parent chains, to their ends
        node = frontier.pop()
        for _, up, kind in G.out_edges(node, keys=True):
            if kind in ("routed_via", "parent") and up not in nodes:
                nodes.add(up)
                frontier.append(up)
    order = {n: i for i, n in enumerate(G.nodes)}
    return sorted(nodes, key=order.__getitem__), services


def _resolve(G: DependencyGraph, key: str, kind: str) -> list[str]:
    found = find_nodes(G, key, [kind])
    if not found:
        raise NotFoundError(f"{kind} filter: no {kind} named {key!r} in the dependency graph")
    return found


def landscape(
    G: DependencyGraph,
    *,
    lang: Lang = "fa",
    agencies: Sequence[str] = (),
    systems: Sequence[str] = (),
    service_types: Sequence[str] = (),
    aggregate: bool | None = None,
) -> ServiceNetwork:
    """The whole landscape (or the part the filters select) of agencies, systems, services.

    ``aggregate=None`` aggregates when more than :data:`AGGREGATE_ABOVE` nodes would be drawn.
    """
    w = words(lang)
    nodes, services = _select(G, agencies, systems, service_types)
    if aggregate is None:
        aggregate = len(nodes) > AGGREGATE_ABOVE
    if aggregate:
        return aggregated(G, nodes, services, lang=lang)
    net = ServiceNetwork(ViewInfo("landscape", lang, w["landscape"]))
    _fill(net, G, nodes, lang, LANDSCAPE_EDGES)
    _count(net, G, nodes)
    if not nodes:
        net.info.notes.append(w["empty"])
    net.configure()
    return net


def _count(net: ServiceNetwork, G: DependencyGraph, nodes: Iterable[str]) -> None:
    w = words(net.info.lang)
    tally = {"service": 0, "agency": 0, "system": 0, "field": 0}
    for n in nodes:
        tally[G.nodes[n].get("kind", "field")] = tally.get(G.nodes[n].get("kind", "field"), 0) + 1
    net.info.stats += [
        (w["services"], f"{tally['service']:,}"),
        (w["agencies"], f"{tally['agency']:,}"),
        (w["systems"], f"{tally['system']:,}"),
    ]


def aggregated(
    G: DependencyGraph, nodes: Sequence[str], services: Sequence[str], *, lang: Lang = "fa"
) -> ServiceNetwork:
    """Agencies and systems only; an edge agency -> counterpart counts the services of the
    agency that depend on it, styled by the most severe inquiry among them."""
    w = words(lang)
    deg = _degrees(G)
    keep = [n for n in nodes if G.nodes[n].get("kind") in ("agency", "system")]
    kept = set(keep)
    net = ServiceNetwork(ViewInfo("aggregated", lang, w["aggregated"]))
    links: dict[tuple[str, str], dict[str, list[str]]] = {}
    for s in services:
        needs = [(v, d) for _, v, k, d in G.out_edges(s, keys=True, data=True) if k in NEEDS]
        for a in deg.providers.get(s, ()):
            for v, data in needs:
                if v == a or v not in kept or a not in kept:
                    continue
                link = links.setdefault((a, v), {})
                link.setdefault(s, []).append(data.get("inquiry") or "online")
    sub = nx.Graph()
    sub.add_nodes_from(keep)
    sub.add_edges_from(links)
    pos = positions(sub, _groups(G, keep, deg))
    for node in keep:
        net.append_node(node_dict(G, node, deg, lang, pos))
    for (a, v), by_service in links.items():
        modes = [most_severe(m) for m in by_service.values()]
        mode = most_severe(modes)
        count = len(by_service)
        style = edge_style("depends_on", mode)
        style["width"] = round(style["width"] + 1.5 * math.log2(count), 2)
        tally = ", ".join(f"{w[m]}: {modes.count(m)}" for m in dict.fromkeys(modes))
        net.append_edge(
            {
                "from": a,
                "to": v,
                "label": str(count),
                "title": f"{count} {w['services']}\n{tally}",
                "sgKind": "depends_on",
                "sgInquiry": mode,
                "sgServices": count,
                **style,
            }
        )
    for u in keep:
        for _, v, kind, data in G.out_edges(u, keys=True, data=True):
            if v in kept and kind in ("operates", "routed_via", "parent"):
                net.append_edge(edge_dict(G, u, v, kind, data, lang))
    _count(net, G, keep)
    net.info.stats[0] = (w["services"], f"{len(services):,}")
    net.configure()
    return net


def focus(G: DependencyGraph, target: str, *, depth: int = 1, lang: Lang = "fa") -> ServiceNetwork:
    """``target`` (a node id) and everything within ``depth`` links of it, either direction.

    At most :data:`MAX_FOCUS_NODES` nodes are drawn (nearest first); the page says so when
    the neighbourhood was cut.
    """
    if not 1 <= depth <= MAX_DEPTH:
        raise QueryError(f"depth {depth}: expected 1 to {MAX_DEPTH}")
    if target not in G:
        raise NotFoundError(f"no node {target!r} in the dependency graph")
    w = words(lang)
    seen = {target: 0}
    frontier = [target]
    truncated = False
    for level in range(1, depth + 1):
        nxt = []
        for node in frontier:
            for other in (*G.successors(node), *G.predecessors(node)):
                if other not in seen:
                    if len(seen) >= MAX_FOCUS_NODES:
                        truncated = True
                        break
                    seen[other] = level
                    nxt.append(other)
        frontier = nxt
    nodes = list(seen)
    title = f"{w['focus']} {label_of(G.nodes[target], lang)} ({w['depth']} {depth})"
    net = ServiceNetwork(ViewInfo("focus", lang, title))
    _fill(net, G, nodes, lang, None)
    centre = net.node_map[target]
    centre["borderWidth"] = 5
    centre["size"] = centre["size"] + 8
    centre["font"] = {"size": 18, "strokeWidth": 3}
    _count(net, G, nodes)
    if truncated:
        net.info.notes.append(w["truncated"])
    net.configure()
    return net


def impact_view(
    G: DependencyGraph, targets: Sequence[str], *, depth: int | None = None, lang: Lang = "fa"
) -> ServiceNetwork:
    """The targets, the services their change breaks and the paths that explain it; the
    rest of the landscape faded behind (when it is small enough to draw)."""
    for t in targets:
        if t not in G:
            raise NotFoundError(f"no node {t!r} in the dependency graph")
    w = words(lang)
    result = impact(G, list(targets), depth=depth)
    emphasized: set[str] = set(targets)
    path_links: dict[frozenset[str], str] = {}
    for svc in result.services:
        emphasized.update(svc.path)
        emphasized.update(svc.agencies)
        for a, b in zip(svc.path, svc.path[1:], strict=False):
            key = frozenset((a, b))
            path_links[key] = _worse(path_links.get(key), svc.severity)
    context, _ = _select(G, (), (), ())
    if len(context) + len(emphasized) > IMPACT_CONTEXT_LIMIT:
        context = []
    order = {n: i for i, n in enumerate(G.nodes)}
    nodes = sorted(set(context) | emphasized, key=order.__getitem__)
    names = "، ".join(t["label"] for t in result.targets)
    net = ServiceNetwork(ViewInfo("impact", lang, f"{w['impact']} {names}"))
    deg = _degrees(G)
    sub = nx.MultiDiGraph()
    sub.add_nodes_from(nodes)
    keep = set(nodes)
    edges = [
        (u, v, k, d)
        for u in nodes
        for _, v, k, d in G.out_edges(u, keys=True, data=True)
        if v in keep and (k in LANDSCAPE_EDGES or frozenset((u, v)) in path_links)
    ]
    sub.add_edges_from((u, v) for u, v, _, _ in edges)
    pos = positions(sub, _groups(G, nodes, deg))
    severity = {s.iri: s.severity for s in result.services}
    for node in nodes:
        data = node_dict(G, node, deg, lang, pos, faded=node not in emphasized)
        if node in targets:
            data["color"] = dict(TARGET_COLOR)
            data["borderWidth"] = 4
            data["size"] += 8
        elif node in severity:
            data["color"]["border"] = SEVERITY_COLOR[severity[node]]
            data["borderWidth"] = 4
            data["sgFacts"].append([w["severity"], w[severity[node]]])
            data["title"] += f"\n{w['severity']}: {w[severity[node]]}"
        net.append_node(data)
    for u, v, kind, data in edges:
        edge = edge_dict(G, u, v, kind, data, lang)
        on_path = path_links.get(frozenset((u, v)))
        if on_path:
            edge["color"] = {"color": SEVERITY_COLOR[on_path], "inherit": False}
            edge["width"] = edge["width"] + 2
            edge["sgPath"] = True
        elif u not in emphasized or v not in emphasized:
            edge["color"] = {"color": "rgba(180,180,180,0.25)", "inherit": False}
        net.append_edge(edge)
    totals = result.totals
    arrow = " ← " if lang == "fa" else " → "
    net.info.stats += [
        (w["affected"], f"{totals.get('affected', totals['services']):,}"),
        *(
            (o[f"label_{'fa' if lang == 'fa' else 'en'}"], f"{o['services']:,}")
            for o in result.outcomes
        ),
        (w["direct"], f"{totals['direct']:,}"),
        (w["indirect"], f"{totals['indirect']:,}"),
        (w["recipients_total"], f"{totals['recipients_per_year']:,}"),
        (w["recipients_unknown"], f"{totals['unknown_recipients']:,}"),
        (w["affected_agencies"], f"{len(result.agencies):,}"),
    ]
    net.info.rows = [
        {
            "label": label_of(G.nodes[s.iri], lang),
            "service_id": s.service_id or "",
            "severity": w[s.severity],
            "severity_code": s.severity,
            "direct": w["direct"] if s.direct else w["indirect"],
            "path": arrow.join(label_of(G.nodes[n], lang) for n in s.path if n in G),
        }
        for s in result.services[:200]
    ]
    net.configure()
    return net


_SEVERITY_RANK = {"high": 0, "medium": 1, "unknown": 2, "none": 3}


def _worse(a: str | None, b: str) -> str:
    if a is None:
        return b
    return a if _SEVERITY_RANK[a] <= _SEVERITY_RANK[b] else b
