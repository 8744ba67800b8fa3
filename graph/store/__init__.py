"""Stores behind one interface; :func:`open_store` picks the one the settings ask for."""

from __future__ import annotations

from graph.settings import Settings
from graph.store.base import GRAPH_FORMATS, REFERENCE_GRAPH, RESULT_FORMATS, QueryResult, Store

__all__ = [
    "GRAPH_FORMATS",
    "REFERENCE_GRAPH",
    "RESULT_FORMATS",
    "QueryResult",
    "Store",
    "open_store",
]


def open_store(settings: Settings, *, read_only: bool = False) -> Store:
    """The remote store when ``settings.store``/``query_url`` is set, else the embedded one."""
    if settings.store or settings.query_url:
        from graph.store.remote import RemoteStore

        return RemoteStore.from_settings(settings)
    from graph.store.embedded import EmbeddedStore

    return EmbeddedStore(settings.data_dir, read_only=read_only)
