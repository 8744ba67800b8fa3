"""How a change travels through the projection: the reverse-dependency index.

Impact runs "backwards" along dependency edges (GSB changes, so Shahkar, which is routed
via GSB, is affected, so services depending on Shahkar are affected). Walking
``G.pred`` and filtering edge kinds on every query would cost a dict lookup per edge, so
the walk uses this index instead, built once per graph (:func:`propagation_index`) and
shared by impact, hubs and diff. Each entry says "if ``node`` is affected, ``succ`` is
affected, at ``cost`` more hops, because of an edge of ``kind``":

============== ============================== ====== =======================================
edge           propagates                     cost   why
============== ============================== ====== =======================================
depends_on     counterpart -> service         1      the service inquires it
delivered_thr. system -> service              1      the service runs on it
uses_field     field -> service               1      the service exchanges it
routed_via     carrier -> routed system       1      the inquiry rides on the carrier
parent         parent agency -> sub-agency    1      organisational, only with ``include_org``
sub_service    sub-service -> parent service  1      the main service loses a part
operates       agency -> its system           0      an agency's systems are the agency
============== ============================== ====== =======================================

Two kinds of edge, kept apart everywhere: **data dependencies** (a service inquires a
system or agency, a system is routed via another, a system is operated by an agency) and
**organisational containment** (``parent``: an agency inside a ministry). Being the parent
of an agency is not a data dependency, so the walk follows ``parent`` edges only when a
caller asks for organisational reach (``include_org=True``, the CLI's ``--include-org``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from graph.analysis.caches import derived
from graph.analysis.projection import INQUIRY_ORDER, DependencyGraph, label_of

__all__ = [
    "DEPENDENCY_KINDS",
    "ORGANISATIONAL_KINDS",
    "Dependency",
    "PropagationIndex",
    "propagation_index",
]

# Edges from a service to something it needs; their inquiry mode decides severity.
DEPENDENCY_KINDS = frozenset({"depends_on", "delivered_through", "uses_field"})
# Organisational containment: followed only when organisational reach is asked for.
ORGANISATIONAL_KINDS = frozenset({"parent"})
_COST = {
    "depends_on": 1,
    "delivered_through": 1,
    "uses_field": 1,
    "routed_via": 1,
    "parent": 1,
    "sub_service": 1,
    "operates": 0,
}
_REVERSED = frozenset({"depends_on", "delivered_through", "uses_field", "routed_via", "parent"})


@dataclass(frozen=True, slots=True)
class Dependency:
    """One thing a service needs, with the inquiry mode and fields of that need."""

    head: str
    kind: str
    inquiry: str
    fields: tuple[str, ...]


class ServiceFacts(NamedTuple):
    """What impact reports of a service, read once from its node."""

    service_id: str | None
    title: str
    agencies: tuple[str, ...]  # its providers
    agency: str | None  # the first provider's label
    recipients: int | None  # recipients per year


@dataclass
class PropagationIndex:
    """Adjacency lists of the impact walk plus per-service facts, as plain dicts."""

    succ: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)
    kind: dict[str, str] = field(default_factory=dict)
    needs: dict[str, list[Dependency]] = field(default_factory=dict)
    providers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    operators: dict[str, tuple[str, ...]] = field(default_factory=dict)
    label: dict[str, str] = field(default_factory=dict)
    ranked: dict[str, tuple[tuple[str, int, tuple[str, ...]], ...]] = field(default_factory=dict)
    # The walk's hot loop: successors one hop further (``one``) and at no cost (``zero``,
    # an agency's own systems), without repeats; ``subs`` maps a main service to its
    # sub-services; ``facts`` holds a service's :class:`ServiceFacts` so impact never
    # reads node dicts.
    ranked_links: dict[str, tuple[tuple[str, int, tuple[str, ...]], ...]] = field(
        default_factory=dict
    )  # ``ranked`` without the uses_field needs: only a field target reaches a field
    one: dict[str, list[str]] = field(default_factory=dict)
    zero: dict[str, list[str]] = field(default_factory=dict)
    subs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    facts: dict[str, ServiceFacts] = field(default_factory=dict)


def _build(G: DependencyGraph, include_org: bool = False) -> PropagationIndex:
    index = PropagationIndex()
    succ = index.succ
    for node, data in G.nodes(data=True):
        index.kind[node] = str(data.get("kind"))
        index.label[node] = label_of(G, node)
        succ[node] = []
    providers: dict[str, list[str]] = {}
    operators: dict[str, list[str]] = {}
    for u, v, kind, data in G.edges(keys=True, data=True):
        if kind == "provides":
            providers.setdefault(v, []).append(u)
        elif kind == "operates":
            operators.setdefault(v, []).append(u)
        if kind in DEPENDENCY_KINDS:
            inquiry = "online" if kind == "delivered_through" else data.get("inquiry", "unknown")
            fields = (v,) if kind == "uses_field" else tuple(data.get("fields", ()))
            index.needs.setdefault(u, []).append(Dependency(v, kind, inquiry, fields))
        cost = _COST.get(kind)
        if cost is None or (kind in ORGANISATIONAL_KINDS and not include_org):
            continue
        if kind in _REVERSED:
            succ[v].append((u, cost, kind))
        else:
            succ[u].append((v, cost, kind))
    rank = {mode: i for i, mode in enumerate(INQUIRY_ORDER)}
    index.ranked = {
        service: tuple((d.head, rank.get(d.inquiry, 2), d.fields) for d in deps)
        for service, deps in index.needs.items()
    }  # the impact walk's hot loop reads these plain tuples
    index.ranked_links = {
        service: tuple((d.head, rank.get(d.inquiry, 2), d.fields) for d in deps)
        for service, deps in (
            (s, [d for d in ds if d.kind != "uses_field"]) for s, ds in index.needs.items()
        )
        if deps
    }
    index.providers = {k: tuple(sorted(v)) for k, v in providers.items()}
    index.operators = {k: tuple(sorted(v)) for k, v in operators.items()}
    subs: dict[str, list[str]] = {}
    for items in succ.values():
        items.sort()
    for node, items in succ.items():
        one = [nxt for nxt, cost, _ in items if cost]
        zero = [nxt for nxt, cost, _ in items if not cost]
        if one:
            index.one[node] = list(dict.fromkeys(one))
        if zero:
            index.zero[node] = list(dict.fromkeys(zero))
        for nxt, _, kind in items:
            if kind == "sub_service":
                subs.setdefault(nxt, []).append(node)
    index.subs = {main: tuple(parts) for main, parts in subs.items()}
    label = index.label
    for node, data in G.nodes(data=True):
        if data.get("kind") == "service":
            agencies = index.providers.get(node, ())
            first = label[agencies[0]] if agencies else None
            recipients = data.get("recipients_per_year")
            sid = data.get("service_id")
            index.facts[node] = ServiceFacts(sid, label[node], agencies, first, recipients)
    return index


def propagation_index(G: DependencyGraph, include_org: bool = False) -> PropagationIndex:
    """The index of ``G``, built on first use and cached with the graph; data dependencies
    only unless ``include_org`` (then ``parent`` edges carry a change to sub-agencies too).

    >>> import networkx as nx

    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("s", "shahkar", key="depends_on", inquiry="online", fields=["mobile"])
    >>> _ = G.add_edge("shahkar", "gsb", key="routed_via")
    >>> propagation_index(G).succ["gsb"]
    [('shahkar', 1, 'routed_via')]
    >>> _ = G.add_edge("bureau", "ministry", key="parent")
    >>> propagation_index(G).one.get("ministry")
    >>> propagation_index(G, include_org=True).one["ministry"]
    ['bureau']
    """
    name = "propagation_index_org" if include_org else "propagation_index"
    return derived(G, name, lambda g: _build(g, include_org))
