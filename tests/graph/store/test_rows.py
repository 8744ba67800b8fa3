"""Query rows as plain values: the TSV reader against pyoxigraph's own result parser."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.store.rows import Lit, oxigraph_select, parse_tsv

XSD = "http://www.w3.org/2001/XMLSchema#"
OBJECTS = [
    ox.Literal("خدمت ثبت‌نام «یارانه»", language="fa"),
    ox.Literal('tab\there, newline\nthere, quote " and backslash \\ end'),
    ox.Literal("Shahkar", language="en-US"),
    ox.Literal("42", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("-7", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("1.5", datatype=ox.NamedNode(XSD + "decimal")),
    ox.Literal("1e3", datatype=ox.NamedNode(XSD + "double")),
    ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
    ox.Literal("2024-06-01", datatype=ox.NamedNode(XSD + "date")),
    ox.Literal("\u200f\u0001 control"),
    ox.NamedNode("https://w3id.org/servicegraph/ref/system/شاهکار"),
    ox.BlankNode("b1"),
]


def _expected(term: object) -> object:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        lang = (term.language or "").lower()
        return Lit(term.value, lang, term.datatype.value)
    return None  # blank nodes and unbound variables


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    subject, p = ox.NamedNode("urn:s"), ox.NamedNode("urn:p")
    s.extend(ox.Quad(subject, p, o, ox.NamedNode("urn:g")) for o in OBJECTS)
    return s


def _comparable(value: object) -> object:
    """Doubles by value: the TSV writer may shorten the lexical form ("1e3" -> 1000)."""
    if isinstance(value, Lit) and value.datatype == XSD + "double":
        return ("double", float(value.value))
    return value


def test_tsv_rows_equal_the_terms_pyoxigraph_returns(store: ox.Store):
    query = "SELECT ?s ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?none } }"
    direct = [
        tuple(_comparable(_expected(row[v])) for v in ("s", "o", "none"))
        for row in store.query(query, use_default_graph_as_union=True)
    ]
    variables, rows = oxigraph_select(store)(query)
    assert variables == ["s", "o", "none"]
    assert sorted(map(repr, (tuple(map(_comparable, r)) for r in rows))) == sorted(
        map(repr, direct)
    )
    assert len(rows) == len(OBJECTS)


@pytest.mark.parametrize(
    ("body", "error"),
    [(b"?a\t?b\n<urn:x>\n", "1 cells, expected 2"), (b"?a\n<urn:x>\t<urn:y>\n", "2 cells")],
    ids=["short-row", "long-row"],
)
def test_malformed_tsv_is_refused(body: bytes, error: str):
    with pytest.raises(ValueError, match=error):
        parse_tsv(body)


def test_literal_values_the_projection_reads():
    assert Lit("0042", "", XSD + "nonNegativeInteger").integer() == 42
    assert Lit("4.5", "", XSD + "decimal").integer() is None
    assert Lit("۱۲", "", XSD + "integer").integer() is None  # not an XSD lexical form
    assert (
        Lit("1", "", XSD + "boolean").boolean() and not Lit("false", "", XSD + "boolean").boolean()
    )
