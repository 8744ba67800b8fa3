"""Turning what a person types (an IRI, a slug, any name or alias) into projection nodes.

Architects type ``Shahkar``, ``سرویس شاهکار``, ``shahkar`` or the full IRI and mean the
same system. Resolution tries, in order, stopping at the first step that matches:

1. the node id (IRI) itself;
2. the slug, i.e. the last IRI segment (``shahkar``) or ``kind/slug`` (``system/shahkar``);
3. the comparison key (:func:`graph.text.match_key`) of any label or alias in the projection;
4. the register's resolver (:meth:`graph.resolve.Resolver.lookup`), which knows aliases
   and fuzzy spellings, when it names a node of the projection;
5. a unique node whose label key contains the typed key.

A step that matches several nodes is ambiguous: :class:`AmbiguousTargetError` lists them,
never a guess. Nothing at all is a :class:`graph.errors.NotFoundError` with close names.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from graph.analysis.projection import derived, label_of
from graph.errors import NotFoundError, ServicegraphError
from graph.text import match_key

__all__ = ["TARGET_KINDS", "AmbiguousTargetError", "resolve_target", "resolve_targets"]

TARGET_KINDS = ("system", "agency", "field", "service")


class AmbiguousTargetError(ServicegraphError):
    """A name that matches several nodes; ``candidates`` holds (iri, kind, label)."""

    status_code = 409

    def __init__(self, text: str, candidates: list[tuple[str, str, str]]) -> None:
        shown = "; ".join(f"{label} [{kind}] <{iri}>" for iri, kind, label in candidates[:10])
        more = f" (+{len(candidates) - 10} more)" if len(candidates) > 10 else ""
        super().__init__(f"{text!r} is ambiguous, give one of: {shown}{more}")
        self.candidates = candidates


@dataclass
class _Names:
    slugs: dict[str, set[str]] = field(default_factory=dict)
    keys: dict[str, set[str]] = field(default_factory=dict)


def _names(G: nx.Graph) -> _Names:
    names = _Names()
    for node, data in G.nodes(data=True):
        kind = data.get("kind")
        if kind not in TARGET_KINDS:
            continue
        slug = str(node).rstrip("/").rsplit("/", 1)[-1].casefold()
        names.slugs.setdefault(slug, set()).add(node)
        names.slugs.setdefault(f"{kind}/{slug}", set()).add(node)
        if data.get("service_id"):
            names.slugs.setdefault(str(data["service_id"]), set()).add(node)
        texts = [data.get("label_fa"), data.get("label_en"), *data.get("aliases", ())]
        for text in texts:
            if key := match_key(text):
                names.keys.setdefault(key, set()).add(node)
    return names


def _pick(G: nx.Graph, text: str, nodes: Iterable[str], kinds: tuple[str, ...]) -> str | None:
    hits = sorted(n for n in nodes if G.nodes[n].get("kind") in kinds)
    if len(hits) > 1:
        raise AmbiguousTargetError(
            text, [(n, G.nodes[n].get("kind", ""), label_of(G, n)) for n in hits]
        )
    return hits[0] if hits else None


def _lookup(G: nx.Graph, text: str, kinds: tuple[str, ...]) -> list[str]:
    """The register's best answers for a name that are nodes of ``G`` (of ``kinds``)."""
    try:
        from graph.resolve import Resolver
    except ImportError:  # the resolver ships with the register; without it skip this step
        return []
    quiet = logging.getLogger("rdflib.term")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # rdflib warns about names that are not IRIs; not ours
    try:
        found = Resolver.default().lookup(text)
    finally:
        quiet.setLevel(level)
    hits = [
        r
        for r in found
        if r.status != "unresolved" and str(r.iri) in G and G.nodes[str(r.iri)].get("kind") in kinds
    ]
    best = max((r.score for r in hits), default=None)
    return [str(r.iri) for r in hits if r.score == best]


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
    if kind is not None and kind not in TARGET_KINDS:
        raise NotFoundError(f"unknown target kind {kind!r}; use one of {', '.join(TARGET_KINDS)}")
    kinds = (kind,) if kind else TARGET_KINDS
    text = text.strip()
    if not text:
        raise NotFoundError("empty target name")
    if text in G and G.nodes[text].get("kind") in kinds:
        return text
    names = derived(G, "target_names", _names)
    key = match_key(text)
    steps = (
        lambda: names.slugs.get(text.casefold(), ()),
        lambda: names.keys.get(key, ()),
        lambda: _lookup(G, text, kinds),
        lambda: {n for k, ns in names.keys.items() if key and key in k for n in ns},
    )
    for step in steps:
        found = _pick(G, text, step(), kinds)
        if found is not None:
            return found
    close = difflib.get_close_matches(key, list(names.keys), n=3, cutoff=0.6)
    hint = ""
    if close:
        shown = sorted(
            {label_of(G, n) for k in close for n in names.keys[k] if G.nodes[n]["kind"] in kinds}
        )
        hint = f"; did you mean {', '.join(shown)}?" if shown else ""
    raise NotFoundError(f"no {kind or 'system, agency, field or service'} matches {text!r}{hint}")


def resolve_targets(G: nx.Graph, texts: Iterable[str], kind: str | None = None) -> list[str]:
    """Resolve several names at once, keeping their order and dropping repeats."""
    return list(dict.fromkeys(resolve_target(G, t, kind) for t in texts))
