"""Content negotiation for SPARQL results (SPARQL 1.1 Protocol §2.1, §3.1; RFC 9110 §12.5.1).

A client chooses the result format with the ``Accept`` header (q-values honoured) or with
a ``format`` parameter, which wins because browsers cannot set headers on a link. The
formats offered depend on the query form: SELECT and ASK give result sets, CONSTRUCT and
DESCRIBE give RDF graphs.

>>> choose("select", "text/csv;q=0.5, application/sparql-results+xml")
'application/sparql-results+xml'
>>> choose("construct", "*/*")
'text/turtle'
>>> choose("ask", None, "json")
'application/sparql-results+json'
"""

from __future__ import annotations

from graph.errors import QueryError
from graph.store.base import GRAPH_FORMATS, QUAD_FORMATS, RESULT_FORMATS

RESULT_TYPES = tuple(RESULT_FORMATS.values())
GRAPH_TYPES = tuple(media for key, media in GRAPH_FORMATS.items() if key not in QUAD_FORMATS)
# Common aliases clients send (SPARQLWrapper, rdflib's SPARQLStore, curl users).
ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
}
FORMAT_NAMES = {
    **RESULT_FORMATS,  # "xml" names SPARQL results XML; RDF/XML is "rdfxml"
    **{key: media for key, media in GRAPH_FORMATS.items() if key in ("ttl", "nt", "jsonld")},
    "turtle": GRAPH_FORMATS["ttl"],
    "ntriples": GRAPH_FORMATS["nt"],
    "rdfxml": GRAPH_FORMATS["xml"],
}


def offered(form: str) -> tuple[str, ...]:
    """Media types a query form can be answered in, the default first."""
    return RESULT_TYPES if form in ("select", "ask") else GRAPH_TYPES


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header with their q-values, parameters other than q dropped.

    >>> parse_accept("text/csv;q=0.2, */*;q=0.1, application/json")
    [('text/csv', 0.2), ('*/*', 0.1), ('application/json', 1.0)]
    """
    ranges = []
    for part in (header or "*/*").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    return ranges


def choose(form: str, accept: str | None, format_: str | None = None) -> str:
    """The media type to answer with; :class:`QueryError` 406 when none is acceptable."""
    types = offered(form)
    if format_:
        wanted = FORMAT_NAMES.get(format_.lower(), ALIASES.get(format_.lower(), format_.lower()))
        if wanted not in types:
            raise QueryError(
                f"format {format_!r} is not available for {form.upper()} results; "
                f"use one of {', '.join(types)}",
                status_code=406,
            )
        return wanted
    best, best_key = None, (0.0, 0, 0)
    for media, q in parse_accept(accept):
        target = ALIASES.get(media, media)
        if media == "*/*":
            candidates, specificity = types, 0
        elif media.endswith("/*"):
            candidates = tuple(t for t in types if t.startswith(media[:-1]))
            specificity = 1
        else:
            candidates, specificity = tuple(t for t in types if t == target), 2
        for candidate in candidates[:1]:
            key = (q, specificity, -types.index(candidate))
            if q > 0 and key > best_key:
                best, best_key = candidate, key
    if best is None:
        raise QueryError(
            f"none of the accepted media types ({accept}) is available for "
            f"{form.upper()} results; offered: {', '.join(types)}",
            status_code=406,
        )
    return best


def accepts_html(accept: str | None) -> bool:
    """True when the client explicitly accepts text/html (a browser)."""
    return any(
        media in ("text/html", "application/xhtml+xml") and q > 0
        for media, q in parse_accept(accept or "")
    )
