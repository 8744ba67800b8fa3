"""Impact analysis: if a system, agency or field changes or goes down, what breaks?

One breadth-first walk per target over the reverse-dependency index
(:mod:`graph.analysis.propagation`), no graph copies, so the impact of a hub on 10,000
services takes milliseconds once the projection is built. Each affected service keeps the
shortest path that explains it (service first, target last) and whether it is *direct*
(its own exchange or system names the target, or a system the target agency operates) or
*indirect* (reached through routing, a sub-agency or a sub-service). Because most systems
route through GSB, nearly every service depends on GSB indirectly; the two are never mixed
in counts.

Severity comes from the inquiry mode of the affected dependencies: ``online`` breaks at
once (``high``), ``batch`` later (``medium``), ``non_electronic`` not at all (``none``),
and an unstated mode is ``unknown``. A service with several affected dependencies takes
the most severe one.
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from graph.analysis.projection import INQUIRY_ORDER, label_of, more_severe
from graph.analysis.propagation import propagation_index

__all__ = ["SEVERITY", "AffectedService", "ImpactResult", "Reason", "impact", "reach"]

SEVERITY = {"online": "high", "batch": "medium", "unknown": "unknown", "non_electronic": "none"}


def reach(
    G: nx.MultiDiGraph, target: str, *, depth: int | None = None
) -> tuple[dict[str, int], dict[str, str | None]]:
    """Distances and predecessors of everything a change to ``target`` reaches.

    A 0-1 breadth-first walk: an agency's own systems are at distance 0 (they *are* the
    agency), every other step costs one. ``pred[n]`` is the next node on the way from
    ``n`` to the target. Nodes farther than ``depth`` are left out.

    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("svc", "shahkar", key="depends_on")
    >>> _ = G.add_edge("shahkar", "gsb", key="routed_via")
    >>> dist, pred = reach(G, "gsb")
    >>> dist
    {'gsb': 0, 'shahkar': 1, 'svc': 2}
    >>> reach(G, "gsb", depth=1)[0]
    {'gsb': 0, 'shahkar': 1}
    """
    succ = propagation_index(G).succ
    limit = float("inf") if depth is None else depth
    dist: dict[str, int] = {target: 0}
    pred: dict[str, str | None] = {target: None}
    queue: deque[str] = deque([target])
    while queue:
        node = queue.popleft()
        d = dist[node]
        for nxt, cost, _kind in succ.get(node, ()):
            nd = d + cost
            if nd > limit or dist.get(nxt, nd + 1) <= nd:
                continue
            dist[nxt] = nd
            pred[nxt] = node
            if cost:
                queue.append(nxt)
            else:
                queue.appendleft(nxt)
    return dist, pred


@dataclass(slots=True)
class Reason:
    """Why one service is affected by one target."""

    target: str
    path: list[str]
    direct: bool
    distance: int


@dataclass(slots=True)
class AffectedService:
    """One affected service, listed once with every target that reaches it."""

    iri: str
    service_id: str | None
    title: str
    agencies: list[str]
    agency: str | None
    recipients_per_year: int | None
    inquiry: str
    severity: str
    direct: bool
    path: list[str]
    fields: list[str]
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class ImpactResult:
    """The answer to "what breaks": services, agencies, fields, modes and the weight."""

    targets: list[dict[str, str]]
    depth: int | None
    services: list[AffectedService]
    nodes: list[dict[str, Any]]
    agencies: list[dict[str, Any]]
    fields: list[dict[str, Any]]
    inquiry: list[dict[str, Any]]
    totals: dict[str, int]
    labels: dict[str, str] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (each service with service_id, title, agency, path ...);
        ``labels`` maps every IRI in a path, target, agency or field to its label."""
        return asdict(self)


def impact(G: nx.MultiDiGraph, targets: list[str], *, depth: int | None = None) -> ImpactResult:
    """Everything a change to ``targets`` (node ids) breaks, up to ``depth`` hops.

    Several targets are a what-if of all of them at once: each service appears once, with
    one :class:`Reason` per target that reaches it.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a1", kind="agency", label_fa="سازمان")
    >>> for s, rec in (("s1", 100), ("s2", None)):
    ...     G.add_node(s, kind="service", label_fa=s, service_id=s[1:], recipients_per_year=rec)
    ...     _ = G.add_edge("a1", s, key="provides")
    >>> G.add_node("shahkar", kind="system"); G.add_node("gsb", kind="system")
    >>> _ = G.add_edge("s1", "shahkar", key="depends_on", inquiry="online", fields=["f"])
    >>> _ = G.add_edge("s2", "gsb", key="depends_on", inquiry="batch", fields=[])
    >>> _ = G.add_edge("shahkar", "gsb", key="routed_via")
    >>> r = impact(G, ["gsb"])
    >>> [(s.iri, s.direct, s.severity, s.path) for s in r.services]
    [('s2', True, 'medium', ['s2', 'gsb']), ('s1', False, 'high', ['s1', 'shahkar', 'gsb'])]
    >>> r.totals["recipients_per_year"], r.totals["unknown_recipients"]
    (100, 1)
    >>> [s.iri for s in impact(G, ["gsb"], depth=1).services]
    ['s2']
    """
    if depth is not None and depth < 1:
        raise ValueError("depth must be at least 1")
    index = propagation_index(G)
    kinds, labels, needs, providers = index.kind, index.label, index.ranked, index.providers
    info = G.nodes
    found: dict[str, AffectedService] = {}
    touched: dict[str, dict[str, Any]] = {}
    limit = float("inf") if depth is None else depth
    unbounded = depth is None
    for target in dict.fromkeys(targets):
        dist, pred = reach(G, target, depth=depth)
        paths: dict[str, list[str]] = {target: [target]}
        for node in sorted(dist, key=dist.__getitem__):
            path = paths.get(node)
            if path is None:
                path = _path(node, pred, paths)
            if kinds.get(node) != "service":
                if node != target and node not in touched:
                    touched[node] = {"iri": node, "kind": kinds.get(node), "path": path}
                continue
            d = dist[node]
            direct = d == 1 and kinds.get(path[1]) != "service"
            rank, fields, own = 3, [], False
            for head, dep_rank, dep_fields in needs.get(node, ()):
                if head in dist and (unbounded or dist[head] < limit):
                    own = True
                    if dep_rank < rank:
                        rank = dep_rank
                    for f in dep_fields:
                        if f not in fields:
                            fields.append(f)
            if not own and path[1] in found:  # a main service inherits from its sub-service
                child = found[path[1]]
                rank, fields = _RANK[child.inquiry], list(child.fields)
            inquiry = INQUIRY_ORDER[rank]
            reason = Reason(target, path, direct, d)
            hit = found.get(node)
            if hit is None:
                agencies = list(providers.get(node, ()))
                data = info[node]
                found[node] = AffectedService(
                    node, data.get("service_id"), labels[node], agencies,
                    labels[agencies[0]] if agencies else None, data.get("recipients_per_year"),
                    inquiry, SEVERITY[inquiry], direct, path, fields, [reason],
                )  # fmt: skip
            else:
                hit.reasons.append(reason)
                hit.inquiry = more_severe(hit.inquiry, inquiry)
                hit.severity = SEVERITY[hit.inquiry]
                hit.fields.extend(f for f in fields if f not in hit.fields)
                if (direct and not hit.direct) or (
                    direct == hit.direct and len(path) < len(hit.path)
                ):
                    hit.path = path
                hit.direct = hit.direct or direct
    services = sorted(
        found.values(),
        key=lambda s: (not s.direct, _RANK[s.inquiry], -(s.recipients_per_year or 0), s.title),
    )
    return _summarise(G, targets, depth, services, list(touched.values()))


_RANK = {mode: rank for rank, mode in enumerate(INQUIRY_ORDER)}


def _path(node: str, pred: dict[str, str | None], paths: dict[str, list[str]]) -> list[str]:
    """The path from ``node`` to the target, memoised per node (shared prefixes are cheap)."""
    chain = []
    step: str | None = node
    while step is not None and step not in paths:
        chain.append(step)
        step = pred[step]
    for item in reversed(chain):
        up = pred[item]
        paths[item] = [item, *paths[up]] if up is not None else [item]
    return paths[node]


def _summarise(
    G: nx.MultiDiGraph,
    targets: list[str],
    depth: int | None,
    services: list[AffectedService],
    nodes: list[dict[str, Any]],
) -> ImpactResult:
    names = propagation_index(G).label

    def lab(node: str) -> str:
        return names[node] if node in names else label_of(G, node)

    agencies: dict[str, dict[str, Any]] = {}
    fields: dict[str, dict[str, Any]] = {}
    modes = {
        m: {"inquiry": m, "severity": SEVERITY[m], "services": 0, "direct": 0} for m in SEVERITY
    }
    totals = dict.fromkeys(
        ("services", "direct", "indirect", "recipients_per_year", "direct_recipients_per_year",
         "unknown_recipients"),
        0,
    )  # fmt: skip
    labelled: set[str] = set(targets)
    for svc in services:
        rec, direct = svc.recipients_per_year, svc.direct
        known = rec if rec is not None else 0
        totals["services"] += 1
        totals["direct" if direct else "indirect"] += 1
        totals["recipients_per_year"] += known
        totals["direct_recipients_per_year"] += known if direct else 0
        totals["unknown_recipients"] += rec is None
        mode = modes[svc.inquiry]
        mode["services"] += 1
        mode["direct"] += direct
        for agency in svc.agencies or ("(unknown)",):
            row = agencies.get(agency)
            if row is None:
                row = agencies[agency] = {
                    "iri": agency, "label": lab(agency) if agency in G else agency,
                    "services": 0, "direct": 0, "recipients_per_year": 0,
                    "unknown_recipients": 0,
                }  # fmt: skip
            row["services"] += 1
            row["direct"] += direct
            row["recipients_per_year"] += known
            row["unknown_recipients"] += rec is None
        for f in svc.fields:
            row = fields.get(f)
            if row is None:
                row = fields[f] = {"iri": f, "label": lab(f), "services": 0, "direct": 0}
            row["services"] += 1
            row["direct"] += direct
        labelled.update(svc.path)
    for node in nodes:
        node["label"] = lab(node["iri"])
        labelled.update(node["path"])
    labelled.update(agencies, fields)
    labels = {n: lab(n) for n in labelled if n in G}
    target_info = [
        {"iri": t, "kind": G.nodes[t].get("kind", "") if t in G else "", "label": lab(t)}
        for t in dict.fromkeys(targets)
    ]
    return ImpactResult(
        targets=target_info,
        depth=depth,
        services=services,
        nodes=nodes,
        agencies=sorted(agencies.values(), key=lambda r: (-r["services"], r["label"])),
        fields=sorted(fields.values(), key=lambda r: (-r["services"], r["label"])),
        inquiry=[modes[m] for m in INQUIRY_ORDER],
        totals=totals,
        labels=labels,
    )
