"""Projection nodes by what a person types: :mod:`graph.names` over the projection.

The lookup itself (IRI, slug, any name or alias in any spelling, the register's resolver,
then containment; several matches are ambiguous, never a guess) is :class:`graph.names.Names`,
the same one the REST API, the maps and the catalogue use; here it is built once per
projection from the nodes' labels and aliases.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from graph.analysis.caches import derived
from graph.analysis.projection import label_of
from graph.names import KINDS as TARGET_KINDS
from graph.names import AmbiguousTargetError, Named, Names

__all__ = ["TARGET_KINDS", "AmbiguousTargetError", "names_of", "resolve_target", "resolve_targets"]


def _index(G: nx.Graph) -> Names:
    entities = []
    for node, data in G.nodes(data=True):
        if data.get("kind") not in TARGET_KINDS:
            continue
        labels = (label_of(G, node), data.get("label_fa"), data.get("label_en"))
        labels += tuple(data.get("aliases", ()))
        service_id = str(data["service_id"]) if data.get("service_id") else None
        entities.append(Named(str(node), data["kind"], tuple(t for t in labels if t), service_id))
    return Names(entities)


def names_of(G: nx.Graph) -> Names:
    """The name index of a projection (built once per graph, see :func:`derived`)."""
    return derived(G, "names", _index)


def resolve_target(G: nx.Graph, text: str, kind: str | None = None) -> str:
    """The node ``text`` names, restricted to ``kind`` (system/agency/field/service).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("https://w3id.org/servicegraph/ref/system/shahkar", kind="system",
    ...            label_fa="شاهکار", label_en="Shahkar", aliases=["سرویس شاهکار"])
    >>> resolve_target(G, "سرويس شاهكار") == resolve_target(G, "shahkar")
    True
    >>> resolve_target(G, "Shahkar", kind="agency")
    Traceback (most recent call last):
    graph.errors.NotFoundError: no agency matches 'Shahkar'
    """
    return names_of(G).resolve(text, kind)


def resolve_targets(G: nx.Graph, texts: Iterable[str], kind: str | None = None) -> list[str]:
    """Resolve several names at once, keeping their order and dropping repeats."""
    return list(dict.fromkeys(resolve_target(G, t, kind) for t in texts))
