"""Where a projection comes from: a store (cached per revision for a server), the store the
settings name (the CLI's one-shot commands), or an rdflib graph (tests and files).
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Graph

from graph.analysis.projection import DependencyGraph, dependency_graph_from_rows
from graph.store.rows import Rows, from_rdflib

if TYPE_CHECKING:
    from graph.settings import Settings
    from graph.store.base import Store

__all__ = [
    "cached_dependency_graph",
    "dependency_graph",
    "dependency_graph_from_rdf",
    "stored_dependency_graph",
]

_store_cache: weakref.WeakKeyDictionary[Any, tuple[str, DependencyGraph]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.RLock()


def dependency_graph(store: Store) -> DependencyGraph:
    """Project the whole store (union default graph) into a dependency ``MultiDiGraph``."""
    return dependency_graph_from_rows(store.select_values)


def stored_dependency_graph(settings: Settings) -> DependencyGraph:
    """The projection of the store ``settings`` name, opened read-only for the read (the
    CLI's one-shot commands; a server keeps its store open and uses
    :func:`cached_dependency_graph`)."""
    from graph.store import opened_store

    with opened_store(settings, read_only=True) as store:
        return dependency_graph(store)


def dependency_graph_from_rdf(g: Graph | Dataset) -> DependencyGraph:
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

    def select(sparql: str) -> Rows:
        result = g.query(sparql)
        names = [str(v) for v in result.vars or []]
        return names, [[from_rdflib(t) for t in row] for row in result]  # type: ignore[union-attr]

    return dependency_graph_from_rows(select)


def cached_dependency_graph(store: Store) -> DependencyGraph:
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
