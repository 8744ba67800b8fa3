"""Stores behind one interface; :func:`open_store` picks the one the settings ask for."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from graph.settings import Settings
from graph.store.base import (
    GRAPH_FORMATS,
    QUAD_FORMATS,
    RDFLIB_FORMATS,
    REFERENCE_GRAPH,
    RESULT_FORMATS,
    QueryResult,
    Store,
)

__all__ = [
    "GRAPH_FORMATS",
    "QUAD_FORMATS",
    "RDFLIB_FORMATS",
    "REFERENCE_GRAPH",
    "RESULT_FORMATS",
    "QueryResult",
    "Store",
    "open_store",
    "opened_store",
]


def open_store(settings: Settings, *, read_only: bool = False, unpublished: bool = False) -> Store:
    """The remote store when ``settings.store``/``query_url`` is set, else the embedded one
    (``unpublished``: see :class:`~graph.store.embedded.EmbeddedStore`; a remote store has
    no snapshots)."""
    if settings.store or settings.query_url:
        from graph.store.remote import RemoteStore

        return RemoteStore.from_settings(settings)
    from graph.store.embedded import EmbeddedStore

    return EmbeddedStore(settings.data_dir, read_only=read_only, unpublished=unpublished)


@contextmanager
def opened_store(
    settings: Settings, *, read_only: bool = False, unpublished: bool = False
) -> Iterator[Store]:
    """:func:`open_store` for a ``with`` block, closed (files, locks, connections) after it."""
    store = open_store(settings, read_only=read_only, unpublished=unpublished)
    try:
        yield store
    finally:
        store.close()
