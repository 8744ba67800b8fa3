"""Exports of the store: a full dump, or the CPSV-AP 3.2.0 profile view.

The dump keeps our own vocabulary and, in TriG/N-Quads, one named graph per card. The
profile is for exchange with European tools: a SPARQL CONSTRUCT (``data/cpsv-ap.rq``,
which documents its fallbacks) maps services, competent authorities, channels and costs
to CPSV-AP 3.2.0 so that the view passes the official SHACL shapes. It runs inside the
store, so it costs one query whatever the store's size.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from rdflib import Graph

from graph.errors import ServicegraphError
from graph.store.base import GRAPH_FORMATS, QUAD_FORMATS, Store

__all__ = [
    "DUMP_FORMATS",
    "PROFILES",
    "PROFILE_FORMATS",
    "export",
    "profile_graph",
    "profile_query",
]

DUMP_FORMATS = tuple(GRAPH_FORMATS)
PROFILE_FORMATS = tuple(f for f in GRAPH_FORMATS if f not in QUAD_FORMATS)  # a view is one graph
PROFILES = ("cpsv-ap",)


@lru_cache(maxsize=len(PROFILES))
def profile_query(profile: str = "cpsv-ap") -> str:
    """The CONSTRUCT query of a profile."""
    if profile not in PROFILES:
        raise ServicegraphError(f"unknown profile {profile!r} (one of {', '.join(PROFILES)})")
    return files("graph").joinpath(f"data/{profile}.rq").read_text(encoding="utf-8")


def profile_graph(store: Store, profile: str = "cpsv-ap") -> Graph:
    """The profile view as an rdflib graph (for validation and tests)."""
    result = store.query(profile_query(profile))
    return result.graph if result.graph is not None else Graph()


def export(store: Store, fmt: str = "ttl", *, profile: str | None = None) -> bytes:
    """Serialize the whole store (``profile=None``) or a profile view in ``fmt``."""
    if profile is None:
        if fmt not in DUMP_FORMATS:
            raise ServicegraphError(f"unknown format {fmt!r} (one of {', '.join(DUMP_FORMATS)})")
        return store.export(fmt)
    if fmt not in PROFILE_FORMATS:
        choices = ", ".join(PROFILE_FORMATS)
        raise ServicegraphError(f"the {profile} view is one graph: use one of {choices}")
    body, _ = store.query_serialized(profile_query(profile), GRAPH_FORMATS[fmt])
    return body
