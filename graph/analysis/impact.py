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

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

from graph.analysis.caches import gc_paused
from graph.analysis.outcome import AffectedService, ImpactResult, Reason
from graph.analysis.projection import INQUIRY_ORDER, DependencyGraph, label_of
from graph.analysis.propagation import PropagationIndex, propagation_index
from graph.analysis.severity import affected_count, tally

__all__ = [
    "SEVERITY",
    "AffectedService",
    "ImpactResult",
    "Reason",
    "impact",
    "people",
    "reach",
]

SEVERITY = {"online": "high", "batch": "medium", "unknown": "unknown", "non_electronic": "none"}


def reach(
    G: DependencyGraph, target: str, *, depth: int | None = None, include_org: bool = False
) -> tuple[dict[str, int], dict[str, str | None]]:
    """Distances and predecessors of everything a change to ``target`` reaches.

    A 0-1 breadth-first walk: an agency's own systems are at distance 0 (they *are* the
    agency), every other step costs one. ``pred[n]`` is the next node on the way from
    ``n`` to the target. Nodes farther than ``depth`` are left out.

    >>> import networkx as nx

    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("svc", "shahkar", key="depends_on")
    >>> _ = G.add_edge("shahkar", "gsb", key="routed_via")
    >>> dist, pred = reach(G, "gsb")
    >>> dist
    {'gsb': 0, 'shahkar': 1, 'svc': 2}
    >>> reach(G, "gsb", depth=1)[0]
    {'gsb': 0, 'shahkar': 1}
    """
    dist, pred, _ = _walk(propagation_index(G, include_org), target, depth)
    return dist, pred


def _walk(
    index: PropagationIndex, target: str, depth: int | None
) -> tuple[dict[str, int], dict[str, str | None], list[str]]:
    """:func:`reach` plus the nodes in the order found (never farther than the one before).

    Level by level: a level is first closed under the zero-cost steps, then the next
    level is every unseen node one step away, so the first way found is a shortest one.
    """
    one, zero = index.one, index.zero
    dist: dict[str, int] = {target: 0}
    pred: dict[str, str | None] = {target: None}
    order = [target]
    frontier = [target]
    d = 0
    while frontier:
        if zero:
            i = 0
            while i < len(frontier):
                node = frontier[i]
                i += 1
                for nxt in zero.get(node, ()):
                    if nxt not in dist:
                        dist[nxt], pred[nxt] = d, node
                        frontier.append(nxt)
                        order.append(nxt)
        if depth is not None and d >= depth:
            break
        d += 1
        found = []
        for node in frontier:
            for nxt in one.get(node, ()):
                if nxt not in dist:
                    dist[nxt], pred[nxt] = d, node
                    found.append(nxt)
        order.extend(found)
        frontier = found
    return dist, pred, order


def impact(
    G: DependencyGraph, targets: list[str], *, depth: int | None = None, include_org: bool = False
) -> ImpactResult:
    """Everything a change to ``targets`` (node ids) breaks, up to ``depth`` hops.

    Several targets are a what-if of all of them at once: each service appears once, with
    one :class:`Reason` per target that reaches it. Recipients are added up once per
    person: a main service whose sub-service is affected too adds none of its own. The walk
    follows data dependencies only; ``include_org`` adds organisational containment (a
    ministry's change reaching its bodies' services), for an agency-level what-if.

    >>> import networkx as nx

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
    index = propagation_index(G, include_org)
    kinds = index.kind
    fields_reached = any(kinds.get(t) == "field" for t in targets)
    needs = index.ranked if fields_reached else index.ranked_links
    with gc_paused():  # ~10,000 small containers; a full collection would rescan the graph
        return _impact(G, index, targets, depth, needs)


@dataclass(slots=True)
class _Hit:
    """A service the walks reached: its worst inquiry rank, whether a target is one hop
    away, the fields it needs of them, each walk's (walk, distance, direct) and whether its
    recipients are added (not when a sub-service of it is reached: counted there)."""

    rank: int
    direct: bool
    fields: tuple[str, ...]
    reasons: list[tuple[int, int, bool]]
    counted: bool = True


def _impact(
    G: DependencyGraph,
    index: PropagationIndex,
    targets: list[str],
    depth: int | None,
    needs: dict[str, tuple[tuple[str, int, tuple[str, ...]], ...]],
) -> ImpactResult:
    kinds = index.kind
    found: dict[str, _Hit] = {}
    touched: dict[str, tuple[int, str]] = {}
    walks: list[tuple[str, dict[str, str | None]]] = []
    unbounded = depth is None
    for target in dict.fromkeys(targets):
        dist, pred, order = _walk(index, target, depth)
        w = len(walks)
        walks.append((target, pred))
        for node in order:
            if kinds.get(node) != "service":
                if node != target and node not in touched:
                    touched[node] = (w, node)
                continue
            d = dist[node]
            up = pred[node]
            direct = d == 1 and kinds.get(up) != "service"  # type: ignore[arg-type]
            rank, fields, own = 3, (), False
            for head, dep_rank, dep_fields in needs.get(node, ()):
                if head in dist and (unbounded or dist[head] < depth):  # type: ignore[operator]
                    if dep_rank < rank:
                        rank = dep_rank
                    if dep_fields:
                        fields = dep_fields if not own else (*fields, *dep_fields)
                    own = True
            if not own and up in found:  # a main service inherits from its sub-service
                child = found[up]  # type: ignore[index]
                rank, fields = child.rank, child.fields
            elif len(fields) > 1:
                fields = tuple(dict.fromkeys(fields))
            hit = found.get(node)
            if hit is None:
                found[node] = _Hit(rank, direct, fields, [(w, d, direct)])
            else:
                hit.rank = min(hit.rank, rank)
                hit.direct = hit.direct or direct
                hit.fields = tuple(dict.fromkeys((*hit.fields, *fields)))
                hit.reasons.append((w, d, direct))
    subs = index.subs
    for main, parts in subs.items():  # people of a main service are counted at its part
        hit = found.get(main)
        if hit is not None and any(p in found for p in parts):
            hit.counted = False
    return _summarise(G, index, targets, depth, found, touched, walks)


_RANK = {mode: rank for rank, mode in enumerate(INQUIRY_ORDER)}


def people(G: DependencyGraph, services: Iterable[str]) -> tuple[int, int]:
    """(recipients per year, services with unknown recipients) of a set of services, each
    person once: a main service one of whose sub-services is in the set adds nothing.

    >>> import networkx as nx

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("main", kind="service", recipients_per_year=500)
    >>> G.add_node("part", kind="service", recipients_per_year=200)
    >>> _ = G.add_edge("part", "main", key="sub_service")
    >>> people(G, ["main", "part"]), people(G, ["main"])
    ((200, 0), (500, 0))
    """
    index = propagation_index(G)
    chosen = set(services)
    total = unknown = 0
    for s in chosen:
        if any(p in chosen for p in index.subs.get(s, ())):
            continue
        rec = index.facts[s].recipients if s in index.facts else None
        total += rec or 0
        unknown += rec is None
    return total, unknown


class _Paths:
    """Paths from reached nodes to the target of each walk, built on demand, shared tails."""

    def __init__(self, walks: list[tuple[str, dict[str, str | None]]]) -> None:
        self.walks = walks
        self.memo: list[dict[str, list[str]]] = [{t: [t]} for t, _ in walks]

    def __call__(self, w: int, node: str) -> list[str]:
        paths, pred = self.memo[w], self.walks[w][1]
        chain = []
        step: str | None = node
        while step not in paths:
            chain.append(step)
            step = pred[step]  # type: ignore[index]
        tail = paths[step]  # type: ignore[index]
        for item in reversed(chain):
            tail = paths[item] = [item, *tail]  # type: ignore[list-item]
        return paths[node]


def _services(
    index: PropagationIndex, found: dict[str, _Hit], paths: _Paths
) -> list[AffectedService]:
    facts, out = index.facts, []
    walks = paths.walks
    for node, hit in found.items():
        sid, title, agencies, agency, recipients = facts[node]
        rank, direct, fields, reasons, counted = (
            hit.rank,
            hit.direct,
            hit.fields,
            hit.reasons,
            hit.counted,
        )
        why = [Reason(walks[w][0], paths(w, node), dr, d) for w, d, dr in reasons]
        best = why[0]
        for r in why[1:]:  # a direct reason first, then the shortest path
            if (r.direct and not best.direct) or (
                r.direct == best.direct and len(r.path) < len(best.path)
            ):
                best = r
        inquiry = INQUIRY_ORDER[rank]
        out.append(
            AffectedService(
                node, sid, title, list(agencies), agency, recipients, inquiry,
                SEVERITY[inquiry], direct, best.path, list(fields), why, counted,
            )
        )  # fmt: skip
    out.sort(key=lambda s: (not s.direct, _RANK[s.inquiry], -(s.recipients_per_year or 0), s.title))
    return out


def _summarise(
    G: DependencyGraph,
    index: PropagationIndex,
    targets: list[str],
    depth: int | None,
    found: dict[str, _Hit],
    touched: dict[str, tuple[int, str]],
    walks: list[tuple[str, dict[str, str | None]]],
) -> ImpactResult:
    names, facts = index.label, index.facts

    def lab(node: str) -> str:
        return names[node] if node in names else label_of(G, node)

    mode_services, mode_direct = [0, 0, 0, 0], [0, 0, 0, 0]
    direct_count = known_total = known_direct = unknown_total = not_added = 0
    for node, hit in found.items():
        rank, direct, counted = hit.rank, hit.direct, hit.counted
        mode_services[rank] += 1
        if direct:
            direct_count += 1
            mode_direct[rank] += 1
        if not counted:
            not_added += 1
            continue
        rec = facts[node].recipients
        if rec is None:
            unknown_total += 1
        else:
            known_total += rec
            if direct:
                known_direct += rec
    outcomes = tally(
        (SEVERITY[INQUIRY_ORDER[hit.rank]], facts[node].agencies, facts[node].recipients,
         hit.counted)
        for node, hit in found.items()
    )  # fmt: skip
    totals = {
        "services": len(found), "affected": affected_count(outcomes),
        "unaffected": len(found) - affected_count(outcomes),
        "direct": direct_count, "indirect": len(found) - direct_count,
        "recipients_per_year": known_total, "direct_recipients_per_year": known_direct,
        "unknown_recipients": unknown_total, "recipients_not_added": not_added,
    }  # fmt: skip
    modes = [
        {"inquiry": m, "severity": SEVERITY[m], "services": mode_services[i],
         "direct": mode_direct[i]}
        for i, m in enumerate(INQUIRY_ORDER)
    ]  # fmt: skip
    paths = _Paths(walks)

    def details() -> tuple[list, list, list, dict]:
        agencies: dict[str, list[int]] = {}
        for node, hit in found.items():
            direct, counted = hit.direct, hit.counted
            rec = facts[node].recipients if counted else None
            for agency in facts[node].agencies or ("(unknown)",):
                row = agencies.get(agency)
                if row is None:
                    row = agencies[agency] = [0, 0, 0, 0]
                row[0] += 1
                row[1] += direct
                row[2] += rec or 0
                row[3] += counted and rec is None
        agency_rows = [
            {"iri": a, "label": lab(a) if a in names else a, "services": n, "direct": d,
             "recipients_per_year": r, "unknown_recipients": u}
            for a, (n, d, r, u) in agencies.items()
        ]  # fmt: skip
        field_services = Counter(chain.from_iterable(hit.fields for hit in found.values()))
        field_direct = Counter(chain.from_iterable(h.fields for h in found.values() if h.direct))
        fields = [
            {"iri": f, "label": lab(f), "services": n, "direct": field_direct[f]}
            for f, n in field_services.items()
        ]
        nodes = [
            {"iri": n, "kind": index.kind.get(n), "path": paths(w, n), "label": lab(n)}
            for w, n in touched.values()
        ]
        # Every node on a path was reached by a walk: a listed service or a touched node.
        labelled = {*targets, *found, *touched, *agencies, *field_services}
        return (
            nodes,
            sorted(agency_rows, key=lambda r: (-r["services"], r["label"])),
            sorted(fields, key=lambda r: (-r["services"], r["label"])),
            {n: lab(n) for n in labelled if n in names},
        )

    target_info = [
        {"iri": t, "kind": G.nodes[t].get("kind", "") if t in G else "", "label": lab(t)}
        for t in dict.fromkeys(targets)
    ]
    return ImpactResult(
        targets=target_info,
        depth=depth,
        services=lambda: _services(index, found, paths),
        inquiry=modes,
        totals=totals,
        details=details,
        outcomes=outcomes,
    )
