"""Where a data field comes from and every service that receives it, for privacy review.

Origins are the systems the register says carry the field (``carries``) and the
counterparts the cards actually fetch it from; receivers are the services that exchange
it, with their providing agency and inquiry mode. A reviewer asking "who gets the mobile
number of citizens" reads this list, not the impact one: a field does not "break".
"""

from __future__ import annotations

from typing import Any

from graph.analysis.impact import SEVERITY
from graph.analysis.projection import DependencyGraph, label_of
from graph.analysis.propagation import propagation_index

__all__ = ["dataflow"]


def dataflow(G: DependencyGraph, field: str) -> dict[str, Any]:
    """Origins and receivers of ``field`` (a node id of kind ``field``).

    >>> import networkx as nx

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("mobile", kind="field", label_fa="شماره همراه")
    >>> _ = G.add_edge("shahkar", "mobile", key="carries")
    >>> _ = G.add_edge("ito", "s1", key="provides")
    >>> _ = G.add_edge("s1", "mobile", key="uses_field", inquiry="online", counterparts=["shahkar"])
    >>> flow = dataflow(G, "mobile")
    >>> [o["iri"] for o in flow["origins"]], [r["iri"] for r in flow["receivers"]]
    (['shahkar'], ['s1'])
    """
    index = propagation_index(G)
    origins: dict[str, dict[str, Any]] = {}

    def origin(node: str, how: str) -> None:
        row = origins.setdefault(
            node,
            {"iri": node, "label": label_of(G, node), "kind": index.kind.get(node),
             "operators": [label_of(G, a) for a in index.operators.get(node, ())],
             "register": False, "services": 0},
        )  # fmt: skip
        if how == "register":
            row["register"] = True
        else:
            row["services"] += 1

    for u, _, kind in G.in_edges(field, keys=True):
        if kind == "carries":
            origin(u, "register")
    receivers = []
    for u, _, kind, data in G.in_edges(field, keys=True, data=True):
        if kind != "uses_field":
            continue
        for counterpart in data.get("counterparts", ()):
            origin(counterpart, "card")
        inquiry = data.get("inquiry", "unknown")
        receivers.append(
            {
                "iri": u,
                "service_id": G.nodes[u].get("service_id"),
                "title": label_of(G, u),
                "agencies": [label_of(G, a) for a in index.providers.get(u, ())],
                "from": [label_of(G, c) for c in data.get("counterparts", ())],
                "inquiry": inquiry,
                "severity": SEVERITY.get(inquiry, "unknown"),
                "recipients_per_year": G.nodes[u].get("recipients_per_year"),
            }
        )
    receivers.sort(key=lambda r: (r["agencies"], r["title"]))
    return {
        "field": {"iri": field, "label": label_of(G, field)},
        "origins": sorted(origins.values(), key=lambda r: (not r["register"], r["label"])),
        "receivers": receivers,
        "agencies": sorted({a for r in receivers for a in r["agencies"]}),
    }
