"""The dependency-graph projection: the RDF store as a NetworkX ``MultiDiGraph``.

Every analysis (impact, hubs, matrix, data flow, maturity, diff) and the visualization run
on this projection instead of on SPARQL, because a breadth-first search over a Python
adjacency dict answers "what depends on GSB" in milliseconds where a property path takes
a tenth of a second at national scale.

The projection is built in one pass of five SELECT queries over the union default graph
(never one query per node) and cached per :meth:`Store.revision`, so the API rebuilds it
only after an ingest. Nodes are IRI strings; node and edge attributes are described in
the contract below and in the README ("Impact analysis and analytics"):

* node ``kind`` in {"service", "agency", "system", "field"}, ``label_fa``, ``label_en``,
  ``iri``; services also ``service_id``, ``recipients_per_year``, ``service_types``,
  ``card``, ``source``, ``in_person_visits`` and the stage counts ``stages_total``,
  ``stages_known``, ``stages_electronic``; agencies/systems/fields ``status`` and
  ``collective``; every node ``aliases`` (alternative and as-written names, for lookup).
* edges keyed by kind: ``provides`` (agency -> service), ``operates`` (agency -> system),
  ``depends_on`` (service -> system, or -> agency when the row names no system),
  ``delivered_through`` (service -> its own system), ``uses_field`` (service -> field),
  ``parent`` (agency -> parent agency), ``sub_service`` (sub-service -> parent service),
  ``routed_via`` (system -> the system it is carried over), ``carries`` (system -> field).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import networkx as nx
from rdflib.namespace import DCTERMS, RDFS, SKOS, XSD

from graph.analysis.caches import gc_paused
from graph.sparql.template import load_template
from graph.store.rows import Lit, Rows, Select, Value
from graph.text import normalize
from ontology.namespace import ORG, REF, SG, VOCAB

if TYPE_CHECKING:
    pass

__all__ = [
    "INQUIRY_ORDER",
    "DependencyGraph",
    "dependency_graph_from_rows",
    "label_of",
]

if TYPE_CHECKING:
    DependencyGraph: TypeAlias = nx.MultiDiGraph[str]
else:  # networkx graphs are generic in their stubs only
    DependencyGraph = nx.MultiDiGraph
"""The dependency projection: nodes are IRIs (``kind``, labels, facts), edges by kind."""

# Most severe first: an online inquiry breaks at once, a batch one later, a paper one never.
INQUIRY_ORDER = ("online", "batch", "unknown", "non_electronic")
_INQUIRY_RANK = {mode: rank for rank, mode in enumerate(INQUIRY_ORDER)}
_STATUS_RANK = {"reference": 0, "fuzzy": 1, "unresolved": 2}
_KINDS = {str(SG.Service): "service", str(SG.Agency): "agency", str(SG.System): "system"}
_KINDS[str(SG.ExchangedField)] = "field"


# The projection's queries, in graph/analysis/queries/*.rq (prefixes added on loading).
Q_NODES, Q_LITERALS, Q_LINKS, Q_EXCHANGES, Q_STAGES = (
    load_template("graph.analysis", f"queries/{name}.rq").text
    for name in ("nodes", "literals", "links", "exchanges", "stages")
)
QUERIES = (Q_NODES, Q_LITERALS, Q_LINKS, Q_EXCHANGES, Q_STAGES)


def _code(term: object, scheme: str) -> str | None:
    """The code of a vocabulary concept IRI (``vocab/inquiry/online`` -> ``online``)."""
    prefix = f"{VOCAB}{scheme}/"
    text = str(term) if term is not None else ""
    return text[len(prefix) :] if text.startswith(prefix) else None


def inquiry_code(term: object) -> str:
    """Collapse the inquiry concepts to the four modes the analyses rank.

    >>> inquiry_code(VOCAB["inquiry/non_electronic_agency"])
    'non_electronic'
    >>> inquiry_code(None)
    'unknown'
    """
    code = _code(term, "inquiry") or "unknown"
    return "non_electronic" if code.startswith("non_electronic") else code


def more_severe(a: str, b: str) -> str:
    """The more severe of two inquiry modes (online > batch > unknown > non_electronic).

    >>> more_severe("batch", "online"), more_severe("unknown", "non_electronic")
    ('online', 'unknown')
    """
    return a if _INQUIRY_RANK.get(a, 2) <= _INQUIRY_RANK.get(b, 2) else b


def label_of(G: nx.Graph, node: str) -> str:
    """The label people read: Persian, else English, else the last IRI segment.

    >>> G = nx.MultiDiGraph(); G.add_node("https://x/ref/system/gsb", label_fa="", label_en=None)
    >>> label_of(G, "https://x/ref/system/gsb")
    'gsb'
    """
    data = G.nodes[node] if node in G else {}
    return data.get("label_fa") or data.get("label_en") or node.rstrip("/").rsplit("/", 1)[-1]


_S = {name: str(term) for name, term in (("collective", SG.collective),
      ("recipients", SG.recipientsPerYear), ("source", SG.sourceFile))}  # fmt: skip
_LITERAL_SLOT = {
    str(RDFS.label): "label",
    str(SKOS.prefLabel): "label",
    str(DCTERMS.title): "label",
    str(SKOS.altLabel): "alias",
    str(SG.sourceLabel): "alias",
    str(DCTERMS.identifier): "identifier",
    str(SG.inPersonVisits): "visits",
}
# Link predicate -> (edge kind, whether the edge runs object -> subject).
_LINK_EDGE = {
    str(SG.providedBy): ("provides", True),
    str(SG.subServiceOf): ("sub_service", False),
    str(SG.operatedBy): ("operates", True),
    str(SG.routedVia): ("routed_via", False),
    str(SG.carries): ("carries", False),
    str(ORG.subOrganizationOf): ("parent", False),
    str(SG.deliveredThrough): ("delivered_through", False),
}
_ENDPOINT_KINDS = {
    "provides": ("agency", "service"),
    "operates": ("agency", "system"),
    "depends_on": ("service", None),
    "delivered_through": ("service", "system"),
    "uses_field": ("service", "field"),
    "parent": ("agency", "agency"),
    "sub_service": ("service", "service"),
    "routed_via": ("system", "system"),
    "carries": ("system", "field"),
}


def _columns(rows: Rows, *names: str) -> Iterable[Sequence[Value]]:
    """The rows with their cells reordered to ``names`` (a runner may order them freely)."""
    variables, body = rows
    order = [list(variables).index(n) for n in names]
    if order == list(range(len(names))) and len(variables) == len(names):
        return body
    return [[row[i] for i in order] for row in body]


class _Builder:
    """Accumulates query rows into node and edge attribute dicts, then one graph."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.labels: dict[str, dict[str, list[str]]] = {}
        self.status: dict[str, str] = {}
        self.edges: dict[tuple[str, str, str], dict[str, Any]] = {}

    def edge(self, u: str, v: str, kind: str) -> dict[str, Any]:
        data = self.edges.get((u, v, kind))
        if data is None:
            data = self.edges[(u, v, kind)] = {"kind": kind}
        return data

    def add_nodes(self, rows: Rows) -> None:
        nodes = self.nodes
        for n, t in _columns(rows, "n", "type"):
            kind = _KINDS.get(t)  # type: ignore[arg-type]
            if kind and type(n) is str and n not in nodes:
                nodes[n] = {"kind": kind}

    def add_literals(self, rows: Rows) -> None:
        nodes, labels = self.nodes, self.labels
        collective, recipients = _S["collective"], _S["recipients"]
        for n, p, lit in _columns(rows, "n", "p", "l"):
            if type(lit) is not Lit or type(n) is not str:
                continue
            if p == collective:
                if lit.boolean():
                    nodes.setdefault(n, {})["collective"] = True
            elif p == recipients:
                value = lit.integer()
                if value is not None:
                    nodes.setdefault(n, {})["recipients_per_year"] = value
            else:
                slot = _LITERAL_SLOT[p]  # type: ignore[index]
                if slot == "label":
                    slot = "label_en" if lit.lang.startswith("en") else "label_fa"
                labels.setdefault(n, {}).setdefault(slot, []).append(normalize(lit.value))

    def add_links(self, rows: Rows) -> None:
        cards: dict[str, str] = {}
        files: dict[str, str] = {}
        edges, nodes = self.edges, self.nodes
        type_prefix, resolution = f"{VOCAB}service-type/", str(SG.resolution)
        for s, p, o in _columns(rows, "s", "p", "o"):
            if type(s) is not str:
                continue
            if type(o) is not str:
                if p == _S["source"] and type(o) is Lit:
                    files[s] = o.value
                continue
            link = _LINK_EDGE.get(p)  # type: ignore[arg-type]
            if link is not None:
                kind, backwards = link
                if kind == "parent" and s == o:
                    continue
                key = (o, s, kind) if backwards else (s, o, kind)
                if key not in edges:
                    edges[key] = {"kind": kind}
            elif p == resolution:
                status = _code(o, "resolution") or "unresolved"
                best = self.status.get(s, "unresolved")
                self.status[s] = min(best, status, key=_STATUS_RANK.__getitem__)
            elif p == _SERVICE_TYPE:
                if o.startswith(type_prefix):
                    types = nodes.setdefault(s, {}).setdefault("service_types", [])
                    types.append(o[len(type_prefix) :])
            elif p == _DESCRIBES:
                cards[o] = s
        for service, card in cards.items():
            data = nodes.setdefault(service, {})
            data["card"] = card
            data["source"] = files.get(card)

    def add_exchanges(self, rows: Rows) -> None:
        edges = self.edges
        modes: dict[object, str] = {}
        scopes: dict[object, str] = {}
        for s, x, sys, ag, f, inq, sc in _columns(rows, "s", "x", "sys", "ag", "f", "inq", "scope"):
            if type(s) is not str:
                continue
            counterpart = sys if type(sys) is str else ag if type(ag) is str else None
            inquiry = modes.get(inq)
            if inquiry is None:
                inquiry = modes[inq] = inquiry_code(inq if type(inq) is str else None)
            field = f if type(f) is str else None
            if counterpart is not None:
                data = edges.get((s, counterpart, "depends_on"))
                if data is None:
                    scope = scopes.get(sc)
                    if scope is None:
                        scope = scopes[sc] = (
                            _code(sc if type(sc) is str else None, "scope") or "external"
                        )
                    data = edges[(s, counterpart, "depends_on")] = {
                        "kind": "depends_on", "inquiry": inquiry, "scope": scope,
                        "exchanges": [], "fields": [],
                    }  # fmt: skip
                else:
                    data["inquiry"] = more_severe(data["inquiry"], inquiry)
                    if data["scope"] != "external":
                        scope = scopes.get(sc)
                        if scope is None:
                            scope = scopes[sc] = (
                                _code(sc if type(sc) is str else None, "scope") or "external"
                            )
                        data["scope"] = scope
                if type(x) is str and x not in data["exchanges"]:
                    data["exchanges"].append(x)
                if field and field not in data["fields"]:
                    data["fields"].append(field)
            if field:
                data = edges.get((s, field, "uses_field"))
                if data is None:
                    data = edges[(s, field, "uses_field")] = {
                        "kind": "uses_field", "inquiry": inquiry, "counterparts": [],
                    }  # fmt: skip
                else:
                    data["inquiry"] = more_severe(data["inquiry"], inquiry)
                if counterpart is not None and counterpart not in data["counterparts"]:
                    data["counterparts"].append(counterpart)

    def add_stages(self, rows: Rows) -> None:
        seen: dict[str, dict[str, bool | None]] = {}
        for s, st, e in _columns(rows, "s", "st", "e"):
            if type(s) is not str or type(st) is not str:
                continue
            value = e.value in ("true", "1") if type(e) is Lit and e.datatype == _BOOL else None
            stages = seen.setdefault(s, {})
            if stages.get(st) is None:
                stages[st] = value
        for service, stages in seen.items():
            data = self.nodes.setdefault(service, {})
            data["stages_total"] = len(stages)
            data["stages_known"] = sum(v is not None for v in stages.values())
            data["stages_electronic"] = sum(v is True for v in stages.values())

    def graph(self) -> DependencyGraph:
        nodes, edges = self.nodes, self.edges
        keys = sorted(edges)  # the same graph, in the same order, from any store
        for u, v, kind in keys:
            ku, kv = _ENDPOINT_KINDS[kind]
            for node, k in ((u, ku), (v, kv)):
                data = nodes.get(node)
                if data is None:
                    data = nodes[node] = {}
                if "kind" not in data:
                    data["kind"] = k or ("system" if "/system/" in node else "agency")
        G = nx.MultiDiGraph()
        G.add_nodes_from(
            (iri, self._attributes(iri, data["kind"], data))
            for iri, data in nodes.items()
            if "kind" in data  # attributes of something that is not a graph node
        )
        _add_edges(G, keys, edges)
        return G

    def _attributes(self, iri: str, kind: str, data: dict[str, Any]) -> dict[str, Any]:
        names = self.labels.get(iri, {})
        fa = sorted(set(names.get("label_fa", ())))
        en = sorted(set(names.get("label_en", ())))
        alias = names.get("alias")
        aliases = sorted(set(alias) - set(fa) - set(en)) if alias else []
        attrs: dict[str, Any] = {
            "kind": kind,
            "iri": iri,
            "label_fa": fa[0] if fa else (aliases[0] if aliases else ""),
            "label_en": en[0] if en else None,
            "aliases": aliases + fa[1:] + en[1:],
        }
        if kind == "service":
            ids = sorted(set(names.get("identifier", ())))
            visits = names.get("visits", ())
            attrs.update(
                service_id=ids[0] if ids else None,
                recipients_per_year=data.get("recipients_per_year"),
                service_types=sorted(set(data.get("service_types", ()))),
                card=data.get("card"),
                source=data.get("source"),
                in_person_visits=visits[0] if visits else None,
                stages_total=data.get("stages_total", 0),
                stages_known=data.get("stages_known", 0),
                stages_electronic=data.get("stages_electronic", 0),
            )
        else:
            default = "reference" if iri.startswith(_REF) else "unresolved"
            attrs["status"] = self.status.get(iri, default)
            attrs["collective"] = bool(data.get("collective", False))
        return attrs


def _add_edges(
    G: DependencyGraph, keys: list[tuple[str, str, str]], edges: dict[tuple[str, str, str], Any]
) -> None:
    """Add keyed edges between existing nodes of a new graph, sharing each attribute dict.

    ``add_edges_from`` spends ~5 us per edge on checks a fresh graph does not need (half
    the projection build at 10,000 services), so the documented adjacency structure
    (``G.succ[u][v][key]`` and ``G.pred[v][u][key]`` are the same dict) is filled directly.
    """
    succ, pred = G._succ, G._pred
    factory = G.edge_key_dict_factory
    for edge in keys:
        u, v, kind = edge
        by_kind = succ[u].get(v)
        if by_kind is None:
            by_kind = succ[u][v] = pred[v][u] = factory()
        by_kind[kind] = edges[edge]


_DESCRIBES, _SERVICE_TYPE = str(SG.describes), str(SG.serviceType)
_REF, _BOOL = str(REF), str(XSD.boolean)


def dependency_graph_from_rows(select: Select) -> DependencyGraph:
    """Build the projection from any SELECT runner returning (variables, rows) of plain
    values (:mod:`graph.store.rows`). The queries (:data:`QUERIES`) run over the union
    of all named graphs.
    """
    builder = _Builder()
    with gc_paused():
        builder.add_nodes(select(Q_NODES))
        builder.add_literals(select(Q_LITERALS))
        builder.add_links(select(Q_LINKS))
        builder.add_exchanges(select(Q_EXCHANGES))
        builder.add_stages(select(Q_STAGES))
        return builder.graph()
