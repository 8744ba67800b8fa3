"""Queries over a protocol-given dataset (SPARQL 1.1 Protocol §2.1.4).

The store answers over the union of all its graphs. When a request names its dataset
(``default-graph-uri`` / ``named-graph-uri``, or FROM / FROM NAMED in the query), the
worker copies just those graphs (card graphs are small) into an in-memory pyoxigraph
store and runs the query there with exactly the RDF dataset of SPARQL 1.1 Query §13:
the default graph is the merge of the FROM graphs, ``GRAPH`` sees only the FROM NAMED ones.
Only the store's public ``get_graph`` is used, so this works on any store.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from api.guard import CheckedQuery
from graph.errors import QueryError
from graph.store.base import Store

_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def _ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"cannot copy term {term!r}")


def run_on_dataset(
    store: Store, checked: CheckedQuery, media_type: str, max_results: int | None
) -> tuple[bytes, bool]:
    """Serialize ``checked`` run over its own dataset; 422 when over ``max_results``."""
    memory = ox.Store()
    for name in {*checked.default_graphs, *checked.named_graphs}:
        graph = ox.NamedNode(name)
        memory.extend(
            ox.Quad(_ox(s), _ox(p), _ox(o), graph) for s, p, o in store.get_graph(URIRef(name))
        )
    kwargs = {
        "default_graph": [ox.NamedNode(g) for g in checked.default_graphs],
        "named_graphs": [ox.NamedNode(g) for g in checked.named_graphs],
    }
    if not checked.default_graphs:  # an empty default graph: none of the store's graphs
        kwargs["default_graph"] = [ox.NamedNode("urn:servicegraph:empty-default-graph")]
    try:
        counted = (
            sum(1 for _ in memory.query(checked.text, **kwargs)) if checked.form != "ask" else 0
        )
        if max_results is not None and counted > max_results:
            raise QueryError(
                f"the result has {counted} rows or triples, more than max_results "
                f"({max_results}); add LIMIT",
                status_code=422,
            )
        result = memory.query(checked.text, **kwargs)
    except SyntaxError as exc:
        raise QueryError(f"malformed query: {exc}") from None
    if checked.form in ("construct", "describe"):
        return ox.serialize(list(result), format=_GRAPHS[media_type]), False
    return result.serialize(format=_RESULTS[media_type]), False
