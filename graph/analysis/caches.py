"""Caches of the analysis: structures derived from a projection once, and a pause of the
garbage collector while many long-lived containers are built.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import networkx as nx

__all__ = ["derived", "gc_paused"]

T = TypeVar("T")
GraphT = TypeVar("GraphT", bound="nx.Graph[Any]")

_derived_cache: weakref.WeakKeyDictionary[nx.Graph[Any], dict[str, tuple[tuple[int, int], Any]]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.RLock()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the projection (or a result) is built.

    The build allocates a few hundred thousand containers that all stay alive; every
    automatic collection re-scans them (and everything else the process holds), which
    cost a third of the build at 10,000 services. Nothing built here forms a cycle that
    would need collecting. Collection resumes at once afterwards, also on error.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def derived(G: GraphT, name: str, factory: Callable[[GraphT], T]) -> T:
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
    with gc_paused():  # indexes are many small containers that all stay alive
        value = factory(G)
    with _lock:
        _derived_cache.setdefault(G, {})[name] = (size, value)
    return value
