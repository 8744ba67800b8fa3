"""Query rows as plain Python values, the input of the dependency-graph projection.

The projection reads about ten rows per service (120,000 at 10,000 services). Turning each
cell into an rdflib term costs more than running the queries (rdflib validates every IRI),
so the projection works on plain values instead:

* an IRI is a ``str``;
* a literal is a :class:`Lit` (lexical form, language tag, datatype IRI);
* an unbound variable or a blank node is ``None``: projection nodes are keyed by IRI, and
  a blank node cannot be named by another card, so it never becomes a node.

Three sources produce these rows: SPARQL 1.1 TSV results (:func:`parse_tsv`, what the
embedded store and a bare pyoxigraph store serialize in Rust, several times faster than
building Python term objects), rdflib terms (:func:`from_rdflib`, for rdflib graphs and the
generic :class:`graph.store.base.Store` path), and :func:`oxigraph_select` for a
``pyoxigraph.Store`` that is not wrapped in a servicegraph store (exported files).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

__all__ = ["Lit", "Rows", "Select", "Value", "from_rdflib", "oxigraph_select", "parse_tsv"]

_STRING, _LANG_STRING = str(XSD.string), str(RDF.langString)
_INTEGER, _DECIMAL = str(XSD.integer), str(XSD.decimal)
_DOUBLE, _BOOLEAN = str(XSD.double), str(XSD.boolean)
_INTEGER_TYPES = frozenset(
    str(XSD[name])
    for name in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte",
    )
)  # fmt: skip
_DIGITS = re.compile(r"[+-]?[0-9]+\Z")


class Lit(NamedTuple):
    """A literal: lexical form, language tag ("" when none) and datatype IRI.

    >>> Lit("12", "", _INTEGER).integer(), Lit("12", "", _STRING).integer()
    (12, None)
    >>> Lit("true", "", _BOOLEAN).boolean(), Lit("true", "", _STRING).boolean()
    (True, False)
    """

    value: str
    lang: str = ""
    datatype: str = _STRING

    def integer(self) -> int | None:
        """The value of an integer-typed literal with a valid lexical form, else None."""
        if self.datatype in _INTEGER_TYPES and _DIGITS.match(self.value):
            return int(self.value)
        return None

    def boolean(self) -> bool:
        """True only for an ``xsd:boolean`` literal that says so."""
        return self.datatype == _BOOLEAN and self.value in ("true", "1")


Value = str | Lit | None
# (variables, rows): rows are sequences of values in the order of ``variables``.
Rows = tuple[Sequence[str], Iterable[Sequence[Value]]]
Select = Callable[[str], Rows]


def from_rdflib(term: Any) -> Value:
    """An rdflib term (or None) as a plain value.

    >>> from rdflib import BNode
    >>> from_rdflib(URIRef("urn:x")), from_rdflib(BNode()), from_rdflib(Literal(3))
    ('urn:x', None, Lit(value='3', lang='', datatype='http://www.w3.org/2001/XMLSchema#integer'))
    """
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal):
        if term.language:
            return Lit(str(term), term.language.lower(), _LANG_STRING)
        return Lit(str(term), "", str(term.datatype) if term.datatype else _STRING)
    return None


_ESCAPES = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_CHARS = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2)
        if code:
            return chr(int(code, 16))
        char = m.group(3)
        return _CHARS.get(char, "\\" + char)

    return _ESCAPES.sub(one, text) if "\\" in text else text


def _cell(cell: str) -> Value:
    """One TSV cell (an RDF term in Turtle syntax, SPARQL 1.1 TSV section 4)."""
    first = cell[:1]
    if first == "<":
        return _unescape(cell[1:-1])
    if first == '"':
        end = cell.rfind('"')
        value = _unescape(cell[1:end])
        rest = cell[end + 1 :]
        if not rest:
            return Lit(value)
        if rest[0] == "@":
            return Lit(value, rest[1:].lower(), _LANG_STRING)
        return Lit(value, "", _unescape(rest[3:-1]))  # ^^<datatype>
    if not cell or first == "_":
        return None  # unbound, or a blank node
    if cell in ("true", "false"):
        return Lit(cell, "", _BOOLEAN)
    if "e" in cell or "E" in cell:
        return Lit(cell, "", _DOUBLE)
    return Lit(cell, "", _DECIMAL if "." in cell else _INTEGER)


def parse_tsv(body: bytes) -> tuple[list[str], list[list[Value]]]:
    """Variables and rows of a ``text/tab-separated-values`` SPARQL result.

    Most cells are IRIs, which are sliced without a function call; the rest go through
    the Turtle term rules (escapes, language tags, datatypes, bare numbers and booleans).

    >>> body = '?s\\t?l\\n<urn:a>\\t"x\\\\ty"@fa\\n<urn:b>\\t7\\n<urn:c>\\t\\n'.encode()
    >>> parse_tsv(body)[1]  # doctest: +NORMALIZE_WHITESPACE
    [['urn:a', Lit(value='x\\ty', lang='fa', datatype='http://www.w3.org/1999/02/22-rdf-syntax-ns#langString')],
     ['urn:b', Lit(value='7', lang='', datatype='http://www.w3.org/2001/XMLSchema#integer')],
     ['urn:c', None]]
    """
    text = body.decode("utf-8")
    lines = text.split("\n")
    variables = [v[1:] for v in lines[0].rstrip("\r").split("\t")] if lines[0] else []
    width = len(variables)
    rows: list[list[Value]] = []
    append = rows.append
    for line in lines[1:]:
        if line[-1:] == "\r":
            line = line[:-1]
        if not line:
            continue
        cells = line.split("\t")
        if len(cells) != width:
            raise ValueError(f"TSV result row has {len(cells)} cells, expected {width}")
        append([c[1:-1] if c[:1] == "<" and "\\" not in c else _cell(c) for c in cells])
    return variables, rows


def oxigraph_select(store: Any) -> Select:
    """A SELECT runner over a bare ``pyoxigraph.Store`` (union default graph, TSV rows)."""
    import pyoxigraph as ox

    def select(sparql: str) -> Rows:
        result = store.query(sparql, use_default_graph_as_union=True)
        return parse_tsv(result.serialize(format=ox.QueryResultsFormat.TSV))

    return select
