"""Agency-to-agency dependency matrix: who inquires whom, for how many services, with what.

A row of the matrix is the agency that *provides* a service; a column is the agency the
service's exchange reaches: the counterpart agency itself, or the operator of the
counterpart system. A system with no known operator is its own column (kind ``system``)
rather than being dropped, so the matrix never hides a dependency. Internal exchanges
(scope ``internal``) usually land on the diagonal and are counted there.
"""

from __future__ import annotations

from typing import Any

from graph.analysis.projection import INQUIRY_ORDER, DependencyGraph, label_of
from graph.analysis.propagation import propagation_index

__all__ = ["dependency_matrix"]


def dependency_matrix(G: DependencyGraph) -> dict[str, Any]:
    """Cells (from agency, to agency) with services, exchanges, fields and inquiry modes.

    >>> import networkx as nx

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("ito", kind="agency", label_fa="فناوری"); G.add_node("cra", kind="agency")
    >>> G.add_node("shahkar", kind="system")
    >>> _ = G.add_edge("ito", "s1", key="provides")
    >>> _ = G.add_edge("cra", "shahkar", key="operates")
    >>> _ = G.add_edge("s1", "shahkar", key="depends_on", fields=["mobile"], inquiry="online",
    ...            exchanges=["x1"], scope="external")
    >>> cell = dependency_matrix(G)["cells"][0]
    >>> cell["from"], cell["to"], cell["services"], cell["fields"], cell["inquiry"]["online"]
    ('ito', 'cra', 1, ['mobile'], 1)
    """
    index = propagation_index(G)
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for u, v, kind, data in G.edges(keys=True, data=True):
        if kind != "depends_on":
            continue
        counterparts = (v,) if index.kind.get(v) == "agency" else index.operators.get(v, (v,))
        for source in index.providers.get(u, ("(unknown)",)):
            for target in counterparts:
                cell = cells.setdefault(
                    (source, target),
                    {"services": set(), "exchanges": 0, "fields": set(), "systems": set(),
                     "inquiry": dict.fromkeys(INQUIRY_ORDER, 0), "internal": 0},
                )  # fmt: skip
                cell["services"].add(u)
                cell["exchanges"] += len(data.get("exchanges", ())) or 1
                cell["fields"].update(data.get("fields", ()))
                if index.kind.get(v) == "system":
                    cell["systems"].add(v)
                cell["inquiry"][data.get("inquiry", "unknown")] += 1
                cell["internal"] += data.get("scope") == "internal"
    agencies = sorted({a for pair in cells for a in pair}, key=lambda a: label_of(G, a))
    rows = []
    for (source, target), cell in cells.items():
        rows.append(
            {
                "from": source,
                "from_label": label_of(G, source),
                "to": target,
                "to_label": label_of(G, target),
                "to_kind": index.kind.get(target, "agency"),
                "services": len(cell["services"]),
                "exchanges": cell["exchanges"],
                "internal": cell["internal"],
                "fields": sorted(cell["fields"]),
                "field_labels": sorted(label_of(G, f) for f in cell["fields"]),
                "systems": sorted(cell["systems"]),
                "inquiry": cell["inquiry"],
            }
        )
    rows.sort(key=lambda r: (-r["services"], r["from_label"], r["to_label"]))
    return {
        "agencies": [{"iri": a, "label": label_of(G, a)} for a in agencies],
        "cells": rows,
    }
