"""rdflib <-> pyoxigraph: terms and serialization formats, converted in one place.

The embedded store and the API's per-request datasets both hand rdflib terms to pyoxigraph
and back; the formats are pyoxigraph's own lookups of the media types in
:data:`graph.store.base.GRAPH_FORMATS` and :data:`~graph.store.base.RESULT_FORMATS`.

>>> to_rdflib(to_ox(Literal("تهران", lang="fa"))) == Literal("تهران", lang="fa")
True
>>> to_rdflib(to_ox(Literal("x"))) == Literal("x")
True
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.errors import StoreError
from graph.store.base import GRAPH_FORMATS, QUAD_FORMATS, RESULT_FORMATS

__all__ = [
    "OX_GRAPH_MEDIA",
    "OX_RDF_FORMATS",
    "OX_RESULT_FORMATS",
    "n3",
    "ntriples",
    "to_ox",
    "to_rdflib",
]

OX_RDF_FORMATS = {key: ox.RdfFormat.from_media_type(media) for key, media in GRAPH_FORMATS.items()}
"""pyoxigraph's RDF format for each key of ``GRAPH_FORMATS`` (``ttl``, ``nt``, ...)."""
OX_GRAPH_MEDIA = {
    GRAPH_FORMATS[key]: fmt for key, fmt in OX_RDF_FORMATS.items() if key not in QUAD_FORMATS
}
"""The formats one graph (a CONSTRUCT or DESCRIBE result) is written in, by media type."""
OX_RESULT_FORMATS = {
    media: ox.QueryResultsFormat.from_media_type(media) for media in RESULT_FORMATS.values()
}
"""pyoxigraph's results format for each media type of ``RESULT_FORMATS``."""


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term of an rdflib IRI, blank node or literal."""
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
    raise StoreError(f"cannot convert term {term!r} for the store")


def to_rdflib(term: object) -> Node | None:
    """The rdflib term of a pyoxigraph term (None for an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == str(XSD.string) else URIRef(dt))
    return Literal(str(term))  # RDF-star triple terms: shown as text


def n3(term: Node) -> str:
    """N-Triples syntax of a term (pyoxigraph's escaping, valid inside INSERT DATA)."""
    return str(to_ox(term))


_IRIS: dict[str, str] = {}  # IRIs repeat across cards (predicates, classes, concepts)


def _irin3(term: Node) -> str:
    if type(term) is not URIRef:
        return n3(term)
    key = str(term)  # a plain str: compared in C, not by rdflib's Python-level __eq__
    text = _IRIS.get(key)
    if text is None:
        text = n3(term)
        if len(_IRIS) < 100_000:
            _IRIS[key] = text
    return text


def ntriples(triples: Iterable[tuple[Node, Node, Node]]) -> str:
    """N-Triples text of rdflib triples (pyoxigraph's escaping, valid inside INSERT DATA)."""
    return "".join(f"{_irin3(s)} {_irin3(p)} {_irin3(o)} .\n" for s, p, o in triples)
