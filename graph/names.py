"""The one name lookup: what a person types (an IRI, a slug, any name or alias) to entities.

Architects type ``Shahkar``, ``سرویس شاهکار``, ``شاهكار`` (Arabic kaf), ``shahkar`` or the
full IRI and mean the same system. The command line, the REST API, the maps and the
catalogue's parameters all answer through :class:`Names`, built from the projection
(:func:`graph.analysis.targets.names_of`) or from the labels a query returns
(:func:`names_from_rows`), so the same text names the same entity everywhere.

A lookup tries, in order, and stops at the first step that matches:

1. the IRI itself, or the IRI under the base (``ref/system/shahkar``);
2. the slug, i.e. the last IRI segment (``shahkar``), ``kind/slug`` (``system/shahkar``)
   or a service identifier;
3. the comparison key (:func:`graph.text.match_key`) of a label or alias;
4. the register's resolver (:meth:`graph.resolve.Resolver.lookup`), which knows aliases
   and fuzzy spellings, when it names a known entity;
5. the entities whose label key contains the typed key.

:meth:`Names.matches` gives every entity of the first step that matches (a filter such as
``?agency=استانداری`` covers them all); :meth:`Names.resolve` wants exactly one, and a step
that matches several raises :class:`AmbiguousTargetError` listing them, never a guess.

>>> names = Names([Named("https://w3id.org/servicegraph/ref/system/shahkar", "system",
...                      ("شاهکار", "Shahkar", "سرویس شاهکار"))])
>>> {names.resolve(t) for t in ("سرويس شاهكار", "shahkar", "ref/system/shahkar")}
{'https://w3id.org/servicegraph/ref/system/shahkar'}
>>> names.resolve("Shahkar", "agency")
Traceback (most recent call last):
graph.errors.NotFoundError: no agency matches 'Shahkar'
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rdflib.term import Node

from graph.errors import NotFoundError, ServicegraphError
from graph.resolve import Resolver
from graph.text import match_key
from ontology.namespace import BASE

__all__ = ["KINDS", "AmbiguousTargetError", "Named", "Names", "names_from_rows"]

KINDS = ("system", "agency", "field", "service")


class AmbiguousTargetError(ServicegraphError):
    """A name that matches several entities; ``candidates`` holds (iri, kind, label)."""

    status_code = 409

    def __init__(self, text: str, candidates: list[tuple[str, str, str]]) -> None:
        shown = "; ".join(f"{label} [{kind}] <{iri}>" for iri, kind, label in candidates[:10])
        more = f" (+{len(candidates) - 10} more)" if len(candidates) > 10 else ""
        super().__init__(f"{text!r} is ambiguous, give one of: {shown}{more}")
        self.candidates = candidates


@dataclass(frozen=True, slots=True)
class Named:
    """One entity and the names it goes by (its display label first)."""

    iri: str
    kind: str
    labels: tuple[str, ...] = ()
    service_id: str | None = None


class Names:
    """An index of entities by IRI, slug and label key; build once, look up many times."""

    __slots__ = ("entities", "keys", "slugs")

    def __init__(self, entities: Iterable[Named]) -> None:
        self.entities: dict[str, Named] = {}
        self.slugs: dict[str, set[str]] = {}
        self.keys: dict[str, set[str]] = {}
        for entity in entities:
            if entity.kind not in KINDS:
                continue
            self.entities[entity.iri] = entity
            slug = entity.iri.rstrip("/").rsplit("/", 1)[-1].casefold()
            for name in (slug, f"{entity.kind}/{slug}", entity.service_id):
                if name:
                    self.slugs.setdefault(name, set()).add(entity.iri)
            for label in entity.labels:
                if key := match_key(label):
                    self.keys.setdefault(key, set()).add(entity.iri)

    def label(self, iri: str) -> str:
        entity = self.entities[iri]
        return next(iter(entity.labels), None) or iri.rsplit("/", 1)[-1]

    def matches(self, text: str, kinds: Sequence[str] = KINDS) -> list[str]:
        """Every entity of ``kinds`` that the first matching step names (sorted IRIs)."""
        text = text.strip()
        key = match_key(text)
        steps: tuple[Callable[[], Iterable[str]], ...] = (
            lambda: (iri for iri in (text, BASE + text.strip("/")) if iri in self.entities),
            lambda: self.slugs.get(text.casefold(), ()),
            lambda: self.keys.get(key, ()),
            lambda: self._register(text),
            lambda: {iri for k, iris in self.keys.items() if key and key in k for iri in iris},
        )
        for step in steps if text else ():
            hits = sorted({iri for iri in step() if self.entities[iri].kind in kinds})
            if hits:
                return hits
        return []

    def resolve(self, text: str, kind: str | None = None) -> str:
        """The one entity ``text`` names, of ``kind`` when given; NotFoundError (with close
        names) or :class:`AmbiguousTargetError` otherwise."""
        if kind is not None and kind not in KINDS:
            raise NotFoundError(f"unknown target kind {kind!r}; use one of {', '.join(KINDS)}")
        if not text.strip():
            raise NotFoundError("empty target name")
        kinds = (kind,) if kind else KINDS
        hits = self.matches(text, kinds)
        if len(hits) > 1:
            raise AmbiguousTargetError(
                text.strip(), [(n, self.entities[n].kind, self.label(n)) for n in hits]
            )
        if hits:
            return hits[0]
        close = difflib.get_close_matches(match_key(text), list(self.keys), n=3, cutoff=0.6)
        shown = sorted(
            {self.label(n) for k in close for n in self.keys[k] if self.entities[n].kind in kinds}
        )
        hint = f"; did you mean {', '.join(shown)}?" if shown else ""
        what = kind or "system, agency, field or service"
        raise NotFoundError(f"no {what} matches {text.strip()!r}{hint}")

    def _register(self, text: str) -> list[str]:
        """The register resolver's best answers for a name that are entities here."""
        quiet = logging.getLogger("rdflib.term")
        level = quiet.level
        quiet.setLevel(logging.ERROR)  # rdflib warns about names that are not IRIs; not ours
        try:
            found = Resolver.default().lookup(text)
        finally:
            quiet.setLevel(level)
        hits = [r for r in found if r.status != "unresolved" and str(r.iri) in self.entities]
        best = max((r.score for r in hits), default=None)
        return [str(r.iri) for r in hits if r.score == best]


def names_from_rows(kind: str, rows: Iterable[Sequence[Node | None]]) -> Names:
    """:class:`Names` of (entity, label) rows, such as the catalogue's candidates query.

    >>> from rdflib import Literal, URIRef
    >>> rows = [(URIRef("urn:a"), Literal("سرویس شاهکار")), (URIRef("urn:b"), Literal("GSB"))]
    >>> names_from_rows("system", rows).matches("شاهكار")
    ['urn:a']
    """
    labels: dict[str, list[str]] = {}
    for entity, label, *_ in rows:
        if entity is not None and label is not None:
            labels.setdefault(str(entity), []).append(str(label))
    return Names(Named(iri, kind, tuple(sorted(found))) for iri, found in labels.items())
