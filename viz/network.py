"""The pyvis network of a view, filled straight from the dependency projection.

:class:`ServiceNetwork` is a :class:`pyvis.network.Network` that also carries what the page
needs besides nodes and edges (title, side-panel figures, language). Nodes and edges are
appended to pyvis's lists directly: ``Network.add_node`` checks membership in a list and
``Network.from_nx`` copies every attribute, both quadratic-ish at national scale.

Every string taken from a card travels as JSON data and reaches the page only through
``textContent``/``innerText`` (tooltips are plain text with newlines), so a system named
``<img src=x onerror=alert(1)>`` is shown, never run.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pyvis.network import Network

from graph.analysis.projection import DependencyGraph
from viz.styles import (
    FADED_COLOR,
    FADED_FONT,
    FONT_STACK,
    KIND_STYLE,
    UNCERTAIN_BORDER_DASHES,
    Lang,
    edge_style,
    words,
)

LABEL_MAX = 42
# Above this many nodes the page starts with physics off (positions come from layout.py).
PHYSICS_LIMIT = 300
STABILIZATION_ITERATIONS = 120


@dataclass
class ViewInfo:
    """What the page shows around the canvas: heading, panel figures, notes."""

    view: str  # landscape | aggregated | focus | impact
    lang: Lang
    title: str
    stats: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Impact view: affected services as rows (label, service_id, severity word, direct word).
    rows: list[dict[str, str]] = field(default_factory=list)


class ServiceNetwork(Network):
    """A pyvis Network plus the :class:`ViewInfo` of the view that built it."""

    def __init__(self, info: ViewInfo) -> None:
        super().__init__(height="100%", width="100%", directed=True, cdn_resources="in_line")
        self.info = info

    def append_node(self, node: dict[str, Any]) -> None:
        """Add a node dict (``id`` required) without pyvis's O(n) membership test."""
        self.nodes.append(node)
        self.node_ids.append(node["id"])
        self.node_map[node["id"]] = node

    def append_edge(self, edge: dict[str, Any]) -> None:
        """Add an edge dict (``from``/``to`` required); ids are assigned in order."""
        edge.setdefault("id", f"e{len(self.edges)}")
        edge.setdefault("arrows", "to")
        self.edges.append(edge)

    def configure(self) -> None:
        """Physics and interaction options scaled to the size of the drawing."""
        n = len(self.nodes)
        small = n <= PHYSICS_LIMIT
        self.options = {
            "autoResize": True,
            "nodes": {"font": {"face": FONT_STACK, "size": 14}, "borderWidth": 1.5},
            "edges": {
                "smooth": {"type": "continuous"} if small else False,
                "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                "font": {"face": FONT_STACK, "size": 11, "align": "middle"},
            },
            "physics": {
                "enabled": small,
                "solver": "barnesHut",
                "barnesHut": {
                    "gravitationalConstant": -6000,
                    "springLength": 160,
                    "avoidOverlap": 0.3,
                },
                "stabilization": {
                    "enabled": small,
                    "iterations": STABILIZATION_ITERATIONS,
                    "fit": True,
                },
            },
            "interaction": {
                "hover": True,
                "tooltipDelay": 150,
                "hideEdgesOnDrag": not small,
                "hideEdgesOnZoom": not small,
            },
            "layout": {"improvedLayout": False, "randomSeed": 7},
        }


def label_of(attrs: Mapping[str, Any], lang: Lang) -> str:
    """The display label in ``lang``: English falls back to Persian, then to the IRI."""
    text = attrs.get("label_en") if lang == "en" else None
    return str(text or attrs.get("label_fa") or attrs.get("iri") or "")


def short(text: str, limit: int = LABEL_MAX) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (full text goes in the tooltip).

    >>> short("سامانه", 10)
    'سامانه'
    >>> short("a" * 50, 10)
    'aaaaaaaaa…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Degrees:
    """Per-node counts used for sizes and tooltips, from one pass over the edges."""

    dependents: dict[Hashable, int] = field(default_factory=dict)  # services -> system/agency
    provided: dict[Hashable, int] = field(default_factory=dict)  # services of an agency
    providers: dict[Hashable, list[Hashable]] = field(default_factory=dict)  # service -> agencies
    operators: dict[Hashable, list[Hashable]] = field(default_factory=dict)  # system -> agencies
    routes: dict[Hashable, list[Hashable]] = field(default_factory=dict)  # system -> via

    @classmethod
    def of(cls, graph: DependencyGraph) -> Degrees:
        d = cls()
        for u, v, kind in graph.edges(keys=True):
            if kind == "depends_on":
                d.dependents[v] = d.dependents.get(v, 0) + 1
            elif kind == "provides":
                d.provided[u] = d.provided.get(u, 0) + 1
                d.providers.setdefault(v, []).append(u)
            elif kind == "operates":
                d.operators.setdefault(v, []).append(u)
            elif kind == "routed_via":
                d.routes.setdefault(u, []).append(v)
        return d


def node_size(kind: str, attrs: Mapping[str, Any], node: Hashable, deg: Degrees) -> float:
    """Size carries criticality: recipients (service), dependents (system), services (agency)."""
    if kind == "service":
        recipients = attrs.get("recipients_per_year")
        return 9.0 + 2.2 * math.log10(recipients + 1) if recipients else 9.0
    if kind == "system":
        return 12.0 + 5.0 * math.log2(1 + deg.dependents.get(node, 0))
    if kind == "agency":
        return 13.0 + 4.0 * math.log2(1 + deg.provided.get(node, 0))
    return 8.0


def node_facts(
    graph: DependencyGraph, node: Hashable, deg: Degrees, lang: Lang
) -> list[tuple[str, str]]:
    """The card's facts about ``node`` as (label, value) pairs in ``lang``."""
    w = words(lang)
    attrs = graph.nodes[node]
    kind = attrs.get("kind", "")
    names = [label_of(graph.nodes[a], lang) for a in deg.providers.get(node, [])]
    facts: list[tuple[str, str]] = [(w.get(kind, kind), label_of(attrs, lang))]
    if kind == "service":
        recipients = attrs.get("recipients_per_year")
        facts += [
            (w["service_id"], attrs.get("service_id") or "—"),
            (w["provided_by"], "، ".join(names) or "—"),
            (w["recipients"], f"{recipients:,}" if recipients is not None else w["unknown"]),
        ]
        if attrs.get("service_types"):
            facts.append(("G2C/G2B/G2G", " ".join(attrs["service_types"])))
        for _, target, data in graph.out_edges(node, data=True):
            if data.get("kind") == "depends_on":
                fields = [label_of(graph.nodes[f], lang) for f in data.get("fields") or ()]
                value = (
                    f"{label_of(graph.nodes[target], lang)} ({w[data.get('inquiry') or 'unknown']})"
                )
                if fields:
                    value += ": " + "، ".join(fields)
                facts.append((w["fields"], value))
    elif kind in ("system", "agency", "field"):
        if kind == "system":
            operators = [label_of(graph.nodes[a], lang) for a in deg.operators.get(node, [])]
            facts.append((w["operated_by"], "، ".join(operators) or "—"))
            via = [label_of(graph.nodes[s], lang) for s in deg.routes.get(node, [])]
            if via:
                facts.append((w["routed_via"], "، ".join(via)))
        if kind == "agency":
            facts.append((w["service_count"], str(deg.provided.get(node, 0))))
        if kind != "field":
            facts.append((w["dependents"], str(deg.dependents.get(node, 0))))
        status = attrs.get("status")
        if status:
            facts.append((w["status"], w.get(status, status)))
    return facts


def tooltip(facts: list[tuple[str, str]]) -> str:
    """Plain-text tooltip (vis-network shows string titles with ``innerText``)."""
    return "\n".join(f"{label}: {value}" for label, value in facts)


def node_dict(
    graph: DependencyGraph,
    node: Hashable,
    deg: Degrees,
    lang: Lang,
    pos: Mapping[Hashable, tuple[float, float]],
    *,
    faded: bool = False,
) -> dict[str, Any]:
    """The vis-network node of ``node`` with style, size, position, tooltip and facts."""
    attrs = graph.nodes[node]
    kind = attrs.get("kind", "")
    style = KIND_STYLE.get(kind, KIND_STYLE["field"])
    full = label_of(attrs, lang)
    facts = node_facts(graph, node, deg, lang)
    x, y = pos.get(node, (0.0, 0.0))
    color = (
        dict(FADED_COLOR) if faded else {"background": style["color"], "border": style["border"]}
    )
    data: dict[str, Any] = {
        "id": str(node),
        "label": short(full),
        "title": tooltip(facts),
        "shape": style["shape"],
        "color": color,
        "size": round(node_size(kind, attrs, node, deg), 1),
        "x": round(x, 1),
        "y": round(y, 1),
        "sgKind": kind,
        "sgLabel": full,
        "sgFacts": [list(f) for f in facts],
        "sgServiceId": attrs.get("service_id") if kind == "service" else None,
    }
    if faded:
        data["font"] = {"color": FADED_FONT}
    if attrs.get("status") in ("fuzzy", "unresolved") or attrs.get("collective"):
        data["shapeProperties"] = {"borderDashes": UNCERTAIN_BORDER_DASHES}
    return data


def edge_dict(
    graph: DependencyGraph, u: Hashable, v: Hashable, kind: str, data: Mapping[str, Any], lang: Lang
) -> dict[str, Any]:
    """The vis-network edge of one projection edge, styled by kind and inquiry mode."""
    w = words(lang)
    inquiry = data.get("inquiry") if kind == "depends_on" else None
    edge = {
        "from": str(u),
        "to": str(v),
        "sgKind": kind,
        "sgInquiry": inquiry,
        **edge_style(kind, inquiry),
    }
    lines = [w.get(kind, kind)]
    if inquiry:
        lines.append(f"{w['inquiry']}: {w.get(inquiry, inquiry)}")
    fields = [label_of(graph.nodes[f], lang) for f in data.get("fields") or () if f in graph]
    if fields:
        lines.append(f"{w['fields']}: " + "، ".join(fields))
    edge["title"] = "\n".join(lines)
    return edge
