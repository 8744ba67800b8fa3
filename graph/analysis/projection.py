"""The dependency-graph projection: the RDF store as a NetworkX ``MultiDiGraph``.

Every analysis (impact, hubs, matrix, data flow, maturity, diff) and the visualization run
on this projection instead of on SPARQL, because a breadth-first search over a Python
adjacency dict answers "what depends on GSB" in milliseconds where a property path takes
a tenth of a second at national scale (``/work/shared/reference/PERFORMANCE_NOTES.md``).

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

import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from graph.text import normalize
from ontology.namespace import ORG, REF, SG, VOCAB

if TYPE_CHECKING:
    from graph.store.base import Store

__all__ = [
    "INQUIRY_ORDER",
    "cached_dependency_graph",
    "dependency_graph",
    "dependency_graph_from_rdf",
    "dependency_graph_from_rows",
    "derived",
    "label_of",
]

Row = Mapping[str, Node | None]
Select = Callable[[str], Iterable[Row]]
T = TypeVar("T")

# Most severe first: an online inquiry breaks at once, a batch one later, a paper one never.
INQUIRY_ORDER = ("online", "batch", "unknown", "non_electronic")
_INQUIRY_RANK = {mode: rank for rank, mode in enumerate(INQUIRY_ORDER)}
_STATUS_RANK = {"reference": 0, "fuzzy": 1, "unresolved": 2}
_KINDS = {SG.Service: "service", SG.Agency: "agency", SG.System: "system"}
_KINDS[SG.ExchangedField] = "field"


# Prefixes from ontology.namespace, so the query texts below never spell an IRI.
PREFIXES = "\n".join(
    f"PREFIX {name}: <{ns}>"
    for name, ns in (
        ("sg", SG._NS),
        ("org", ORG),
        ("rdf", RDF),
        ("rdfs", RDFS),
        ("skos", SKOS),
        ("dct", DCTERMS),
    )
)
_TYPES = "VALUES ?type { sg:Service sg:Agency sg:System sg:ExchangedField } ?n a ?type ."
Q_NODES = f"{PREFIXES}\nSELECT ?n ?type WHERE {{ {_TYPES} }}"
Q_LITERALS = f"""{PREFIXES}
SELECT ?n ?p ?l WHERE {{
  {_TYPES}
  VALUES ?p {{ rdfs:label skos:prefLabel skos:altLabel sg:sourceLabel dct:title
              dct:identifier sg:recipientsPerYear sg:inPersonVisits sg:collective }}
  ?n ?p ?l
}}"""
Q_LINKS = f"""{PREFIXES}
SELECT ?s ?p ?o WHERE {{
  VALUES ?p {{ sg:providedBy sg:subServiceOf sg:operatedBy sg:routedVia sg:carries
              org:subOrganizationOf sg:serviceType sg:resolution sg:deliveredThrough
              sg:describes sg:sourceFile }}
  ?s ?p ?o
}}"""
Q_EXCHANGES = f"""{PREFIXES}
SELECT ?s ?x ?sys ?ag ?f ?inq ?scope WHERE {{
  ?s sg:hasExchange ?x .
  OPTIONAL {{ ?x sg:counterpartSystem ?sys }}
  OPTIONAL {{ ?x sg:counterpartAgency ?ag }}
  OPTIONAL {{ ?x sg:exchangesField ?f }}
  OPTIONAL {{ ?x sg:inquiryType ?inq }}
  OPTIONAL {{ ?x sg:scope ?scope }}
}}"""
Q_STAGES = f"""{PREFIXES}
SELECT ?s ?st ?e WHERE {{ ?s sg:hasStage ?st . OPTIONAL {{ ?st sg:electronic ?e }} }}"""
QUERIES = (Q_NODES, Q_LITERALS, Q_LINKS, Q_EXCHANGES, Q_STAGES)


def _code(term: Node | None, scheme: str) -> str | None:
    """The code of a vocabulary concept IRI (``vocab/inquiry/online`` -> ``online``)."""
    prefix = f"{VOCAB}{scheme}/"
    text = str(term) if term is not None else ""
    return text[len(prefix) :] if text.startswith(prefix) else None


def inquiry_code(term: Node | None) -> str:
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


class _Builder:
    """Accumulates query rows into node and edge attribute dicts, then one graph."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.labels: dict[str, dict[str, list[str]]] = {}
        self.status: dict[str, str] = {}
        self.edges: dict[tuple[str, str, str], dict[str, Any]] = {}

    def node(self, iri: str, kind: str) -> dict[str, Any]:
        data = self.nodes.get(iri)
        if data is None:
            data = self.nodes[iri] = {"kind": kind, "iri": iri}
        return data

    def edge(self, u: str, v: str, kind: str) -> dict[str, Any]:
        data = self.edges.get((u, v, kind))
        if data is None:
            data = self.edges[(u, v, kind)] = {"kind": kind}
        return data

    def add_nodes(self, rows: Iterable[Row]) -> None:
        for row in rows:
            kind = _KINDS.get(row["type"])  # type: ignore[arg-type]
            if kind and isinstance(row["n"], URIRef):
                self.node(str(row["n"]), kind)

    def add_literals(self, rows: Iterable[Row]) -> None:
        for row in rows:
            n, p, lit = str(row["n"]), row["p"], row["l"]
            if not isinstance(lit, Literal):
                continue
            if p == SG.collective:
                if lit.toPython() is True:
                    self.nodes.setdefault(n, {})["collective"] = True
                continue
            if p == SG.recipientsPerYear:
                value = lit.toPython()
                if isinstance(value, int) and not isinstance(value, bool):
                    self.nodes.setdefault(n, {})["recipients_per_year"] = value
                continue
            key = {
                RDFS.label: "label",
                SKOS.prefLabel: "label",
                DCTERMS.title: "label",
                SKOS.altLabel: "alias",
                SG.sourceLabel: "alias",
                DCTERMS.identifier: "identifier",
                SG.inPersonVisits: "visits",
            }[p]  # type: ignore[index]
            lang = "en" if (lit.language or "").startswith("en") else "fa"
            slot = key if key != "label" else f"label_{lang}"
            self.labels.setdefault(n, {}).setdefault(slot, []).append(normalize(str(lit)))

    def add_links(self, rows: Iterable[Row]) -> None:
        cards: dict[str, str] = {}
        files: dict[str, str] = {}
        for row in rows:
            s, p, term = str(row["s"]), row["p"], row["o"]
            o = str(term)
            if p == SG.sourceFile:
                files[s] = o
            elif not isinstance(term, URIRef):
                continue
            elif p == SG.providedBy:
                self.edge(o, s, "provides")
            elif p == SG.subServiceOf:
                self.edge(s, o, "sub_service")
            elif p == SG.operatedBy:
                self.edge(o, s, "operates")
            elif p == SG.routedVia:
                self.edge(s, o, "routed_via")
            elif p == SG.carries:
                self.edge(s, o, "carries")
            elif p == ORG.subOrganizationOf:
                if s != o:
                    self.edge(s, o, "parent")
            elif p == SG.deliveredThrough:
                self.edge(s, o, "delivered_through")
            elif p == SG.serviceType:
                if code := _code(term, "service-type"):
                    self.nodes.setdefault(s, {}).setdefault("service_types", []).append(code)
            elif p == SG.resolution:
                status = _code(term, "resolution") or "unresolved"
                best = self.status.get(s, "unresolved")
                self.status[s] = min(best, status, key=_STATUS_RANK.__getitem__)
            elif p == SG.describes:
                cards[o] = s
        for service, card in cards.items():
            data = self.nodes.setdefault(service, {})
            data["card"] = card
            data["source"] = files.get(card)

    def add_exchanges(self, rows: Iterable[Row]) -> None:
        for row in rows:
            s, x = str(row["s"]), str(row["x"])
            counterpart = row.get("sys") or row.get("ag")
            inquiry = inquiry_code(row.get("inq"))
            field = str(row["f"]) if row.get("f") is not None else None
            if counterpart is not None:
                data = self.edge(s, str(counterpart), "depends_on")
                data["inquiry"] = more_severe(data.get("inquiry", "non_electronic"), inquiry)
                scope = _code(row.get("scope"), "scope") or "external"
                if data.get("scope") != "external":
                    data["scope"] = scope
                _add_unique(data, "exchanges", x)
                if field:
                    _add_unique(data, "fields", field)
                else:
                    data.setdefault("fields", [])
            if field:
                data = self.edge(s, field, "uses_field")
                data["inquiry"] = more_severe(data.get("inquiry", "non_electronic"), inquiry)
                data.setdefault("counterparts", [])
                if counterpart is not None:
                    _add_unique(data, "counterparts", str(counterpart))

    def add_stages(self, rows: Iterable[Row]) -> None:
        seen: dict[str, dict[str, bool | None]] = {}
        for row in rows:
            e = row.get("e")
            value = e.toPython() if isinstance(e, Literal) else None
            stages = seen.setdefault(str(row["s"]), {})
            if stages.get(str(row["st"])) is None:
                stages[str(row["st"])] = value if isinstance(value, bool) else None
        for service, stages in seen.items():
            data = self.nodes.setdefault(service, {})
            data["stages_total"] = len(stages)
            data["stages_known"] = sum(v is not None for v in stages.values())
            data["stages_electronic"] = sum(v is True for v in stages.values())

    def graph(self) -> nx.MultiDiGraph:
        endpoint_kind = {
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
        for (u, v, kind), _ in self.edges.items():
            ku, kv = endpoint_kind[kind]
            for node, k in ((u, ku), (v, kv)):
                data = self.nodes.setdefault(node, {})
                if "kind" not in data:
                    data["kind"] = k or ("system" if "/system/" in node else "agency")
        G = nx.MultiDiGraph()
        for iri, data in self.nodes.items():
            kind = data.get("kind")
            if kind is None:  # attributes of something that is not a graph node
                continue
            G.add_node(iri, **self._attributes(iri, kind, data))
        for (u, v, kind), data in sorted(self.edges.items()):
            if u in G and v in G:
                G.add_edge(u, v, key=kind, **data)
        return G

    def _attributes(self, iri: str, kind: str, data: dict[str, Any]) -> dict[str, Any]:
        names = self.labels.get(iri, {})
        fa = sorted(set(names.get("label_fa", [])))
        en = sorted(set(names.get("label_en", [])))
        aliases = sorted(set(names.get("alias", [])) - set(fa) - set(en))
        attrs: dict[str, Any] = {"kind": kind, "iri": iri, "label_fa": "", "label_en": None}
        attrs["label_fa"] = fa[0] if fa else (aliases[0] if aliases else "")
        attrs["label_en"] = en[0] if en else None
        attrs["aliases"] = aliases + fa[1:] + en[1:]
        if kind == "service":
            ids = sorted(set(names.get("identifier", [])))
            visits = names.get("visits", [])
            attrs.update(
                service_id=ids[0] if ids else None,
                recipients_per_year=data.get("recipients_per_year"),
                service_types=sorted(set(data.get("service_types", []))),
                card=data.get("card"),
                source=data.get("source"),
                in_person_visits=visits[0] if visits else None,
                stages_total=data.get("stages_total", 0),
                stages_known=data.get("stages_known", 0),
                stages_electronic=data.get("stages_electronic", 0),
            )
        else:
            default = "reference" if iri.startswith(str(REF)) else "unresolved"
            attrs["status"] = self.status.get(iri, default)
            attrs["collective"] = bool(data.get("collective", False))
        return attrs


def _add_unique(data: dict[str, Any], key: str, value: str) -> None:
    items = data.setdefault(key, [])
    if value not in items:
        items.append(value)


def dependency_graph_from_rows(select: Select) -> nx.MultiDiGraph:
    """Build the projection from any SELECT runner returning rows of rdflib terms.

    The five queries (:data:`QUERIES`) run over the union of all named graphs.
    """
    builder = _Builder()
    builder.add_nodes(select(Q_NODES))
    builder.add_literals(select(Q_LITERALS))
    builder.add_links(select(Q_LINKS))
    builder.add_exchanges(select(Q_EXCHANGES))
    builder.add_stages(select(Q_STAGES))
    return builder.graph()


def dependency_graph(store: Store) -> nx.MultiDiGraph:
    """Project the whole store (union default graph) into a dependency ``MultiDiGraph``."""

    def select(sparql: str) -> list[dict[str, Node | None]]:
        result = store.query(sparql, max_results=None)
        if result.truncated:
            from graph.errors import StoreError

            raise StoreError("the store truncated the dependency-graph projection query")
        return result.dicts()

    return dependency_graph_from_rows(select)


def dependency_graph_from_rdf(g: Graph | Dataset) -> nx.MultiDiGraph:
    """Project an rdflib graph or dataset (all its named graphs united), for tests and files.

    >>> from rdflib import Graph
    >>> ttl = '''@prefix sg: <https://w3id.org/servicegraph/ontology#> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... <urn:s> a sg:Service ; sg:hasExchange <urn:x> .
    ... <urn:x> sg:counterpartSystem <urn:shahkar> .
    ... <urn:shahkar> a sg:System ; rdfs:label "شاهکار"@fa ; sg:routedVia <urn:gsb> .'''
    >>> G = dependency_graph_from_rdf(Graph().parse(data=ttl, format="turtle"))
    >>> sorted((u, v, k) for u, v, k in G.edges(keys=True))
    [('urn:s', 'urn:shahkar', 'depends_on'), ('urn:shahkar', 'urn:gsb', 'routed_via')]
    >>> G.edges["urn:s", "urn:shahkar", "depends_on"]["inquiry"]
    'unknown'
    """
    if isinstance(g, Dataset):
        union = Graph()
        for s, p, o, _ in g.quads((None, None, None, None)):
            union.add((s, p, o))
        g = union

    def select(sparql: str) -> list[dict[str, Node | None]]:
        result = g.query(sparql)
        names = [str(v) for v in result.vars or []]
        return [dict(zip(names, row, strict=True)) for row in result]  # type: ignore[arg-type]

    return dependency_graph_from_rows(select)


# -- caches --------------------------------------------------------------------------------

_store_cache: weakref.WeakKeyDictionary[Any, tuple[str, nx.MultiDiGraph]] = (
    weakref.WeakKeyDictionary()
)
_derived_cache: weakref.WeakKeyDictionary[nx.Graph, dict[str, tuple[tuple[int, int], Any]]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.RLock()


def cached_dependency_graph(store: Store) -> nx.MultiDiGraph:
    """The projection of ``store``, rebuilt only when ``store.revision()`` changes.

    Callers must treat the returned graph as read-only: it is shared between requests.
    """
    revision = store.revision()
    with _lock:
        hit = _store_cache.get(store)
        if hit is not None and hit[0] == revision:
            return hit[1]
    G = dependency_graph(store)
    with _lock:
        _store_cache[store] = (revision, G)
    return G


def derived(G: nx.Graph, name: str, factory: Callable[[nx.Graph], T]) -> T:
    """A structure computed from ``G`` once (indexes, label maps), cached with the graph.

    The cache entry dies with the graph and is rebuilt if its node count changes. Analyses
    treat graphs as read-only; code that edits a projection works on ``G.copy()``, which
    gets its own entries.

    >>> G = nx.MultiDiGraph([(1, 2)])
    >>> derived(G, "n", lambda g: g.number_of_nodes()), derived(G, "n", lambda g: -1)
    (2, 2)
    """
    size = (G.number_of_nodes(), len(G.adj))  # O(1); counting edges would walk them all
    with _lock:
        entries = _derived_cache.setdefault(G, {})
        hit = entries.get(name)
        if hit is not None and hit[0] == size:
            return hit[1]  # type: ignore[no-any-return]
    value = factory(G)
    with _lock:
        _derived_cache.setdefault(G, {})[name] = (size, value)
    return value
