"""The store interface: what the rest of servicegraph may ask of a triple store.

Two implementations exist: the embedded pyoxigraph store (``graph.store.embedded``, the
default) and a remote SPARQL 1.1 server (``graph.store.remote``). :class:`Store` is their
abstract base: every operation a caller needs is here, so commands, ingest, analysis and the
API work unchanged on either and never ask which one they hold. Operations with a portable
meaning have a default here (one graph replaced, N-Triples bodies, plain-valued rows, a
refresh that finds nothing new); a store overrides them when it can do better.

Data model: one named graph per card (its IRI is the card record's IRI); the reference
register lives in its own named graph ``REFERENCE_GRAPH``. Queries see the union of all
named graphs as their default graph, so a query without ``GRAPH`` sees everything.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from rdflib import Graph, URIRef
from rdflib.term import Node

from graph.errors import StoreError
from graph.store.rows import Rows, from_rdflib
from ontology.namespace import ID

REFERENCE_GRAPH = ID["graph/reference"]

# Media types of SPARQL results and RDF, shared by stores and the API.
RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "xml": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "trig": "application/trig",
    "nq": "application/n-quads",
}
QUAD_FORMATS = frozenset({"trig", "nq"})  # keys of GRAPH_FORMATS that carry named graphs
RDFLIB_FORMATS = {  # rdflib's serializer/parser name for each key of GRAPH_FORMATS
    "ttl": "turtle",
    "nt": "nt",
    "xml": "xml",
    "jsonld": "json-ld",
    "trig": "trig",
    "nq": "nquads",
}


@dataclass
class QueryResult:
    """A SPARQL result as rdflib terms.

    ``truncated`` is True when the store or a limit cut the result short; callers must
    show it, never present a truncated result as complete.
    """

    kind: Literal["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False
    note: str | None = None

    def dicts(self) -> list[dict[str, Node | None]]:
        """SELECT rows as dicts keyed by variable name."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


Triples = Graph | Iterable[tuple[Node, Node, Node]]
Seconds = float | None
"""A time limit in seconds; None: none."""
Limit = int | None
"""A most number of result rows or triples; None: every one."""


class Store(ABC):
    """A quad store holding one named graph per card plus the reference graph."""

    # -- writes ---------------------------------------------------------------------------
    def replace_graph(self, name: URIRef, triples: Triples) -> None:
        """Replace the named graph ``name`` with ``triples`` atomically: readers see the
        old graph or the new one, never a mix, and a failure leaves the old one."""
        self.replace_graphs({name: triples})

    @abstractmethod
    def replace_graphs(self, graphs: Mapping[URIRef, Triples]) -> None:
        """Replace several named graphs (each atomically; the embedded store does all in
        one transaction)."""

    def replace_ntriples(self, graphs: Mapping[URIRef, str]) -> None:
        """:meth:`replace_graphs` with each graph given as N-Triples text (ingest
        serializes card graphs in its worker processes, so the writer only joins them)."""
        self.replace_graphs(
            {name: Graph().parse(data=body, format="nt") for name, body in graphs.items()}
        )

    @abstractmethod
    def delete_graph(self, name: URIRef) -> bool:
        """Remove a named graph; False when it did not exist."""

    # -- reads ----------------------------------------------------------------------------
    @abstractmethod
    def graph_names(self) -> list[URIRef]:
        """IRIs of the named graphs held."""

    @abstractmethod
    def get_graph(self, name: URIRef) -> Graph:
        """The triples of one named graph (empty when absent)."""

    @abstractmethod
    def query(
        self, sparql: str, *, timeout: Seconds = None, max_results: Limit = None
    ) -> QueryResult:
        """Run a read-only SPARQL query over the union default graph."""

    @abstractmethod
    def query_serialized(
        self, sparql: str, media_type: str, *, timeout: Seconds = None, max_results: Limit = None
    ) -> tuple[bytes, bool]:
        """Run a query and serialize its result to ``media_type``; returns (body, truncated)."""

    def select_values(self, sparql: str) -> Rows:
        """Every row of a SELECT as plain values (:mod:`graph.store.rows`), for readers of
        many rows such as the dependency-graph projection; StoreError when cut short."""
        result = self.query(sparql, max_results=None)
        if result.truncated:
            raise StoreError(f"the store cut a query short that must be read whole: {result.note}")
        return result.variables, [[from_rdflib(t) for t in row] for row in result.rows]

    @abstractmethod
    def export(self, fmt: str) -> bytes:
        """Dump every graph in ``fmt`` (a key of GRAPH_FORMATS)."""

    @abstractmethod
    def triple_count(self) -> int:
        """Number of quads held."""

    @abstractmethod
    def revision(self) -> str:
        """A token that changes whenever the content changes (for caches)."""

    def refresh(self) -> bool:
        """Catch up with writes made by another process; True when something changed
        (a read-only embedded store reopens a newer snapshot; a server is always current)."""
        return False

    @abstractmethod
    def close(self) -> None:
        """Release files, locks and connections."""
