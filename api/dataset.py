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
from rdflib import URIRef

from graph.errors import QueryError
from graph.sparql.guard import CheckedQuery
from graph.store.base import Store
from graph.store.terms import OX_GRAPH_MEDIA, OX_RESULT_FORMATS, to_ox


def run_on_dataset(
    store: Store, checked: CheckedQuery, media_type: str, max_results: int | None
) -> tuple[bytes, bool]:
    """Serialize ``checked`` run over its own dataset; 422 when over ``max_results``."""
    memory = ox.Store()
    for name in {*checked.default_graphs, *checked.named_graphs}:
        graph = ox.NamedNode(name)
        triples = store.get_graph(URIRef(name))
        memory.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in triples)
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
        return ox.serialize(list(result), format=OX_GRAPH_MEDIA[media_type]), False
    return result.serialize(format=OX_RESULT_FORMATS[media_type]), False
