"""SPARQL results from a server: parsed into rdflib terms, checked for completeness, capped.

A remote server can cut a result short without an error status, and each does it its own
way, so every body is checked before it is believed:

* Virtuoso stops at ``ResultSetMaxRows`` and says so only in an ``X-SPARQL-MaxRows``
  header; on its "anytime" timeout it answers 200 with partial rows (or partial aggregates)
  and ``X-SQL-State``/``X-SQL-Message`` headers. Both make the result ``truncated``.
* Oxigraph server on ``--timeout-s`` answers 200 and stops writing mid-body, appending
  "The SPARQL operation has been cancelled". The body no longer parses, so it is refused
  with :class:`QueryError` (status 504) rather than returned as a complete result.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.errors import QueryError
from graph.store.base import GRAPH_FORMATS, RDFLIB_FORMATS, RESULT_FORMATS, QueryResult

# rdflib parser names of the RDF media types a server may answer with
RDF_PARSERS = {GRAPH_FORMATS[key]: name for key, name in RDFLIB_FORMATS.items()} | {
    "text/plain": "nt",  # N-Triples as Virtuoso and older servers label it
    "application/x-turtle": "turtle",
}
ROW_CAP = "(its ResultSetMaxRows)"
EARLY_STOP = "the server stopped the query early"
SPARQL_JSON = RESULT_FORMATS["json"]
SPARQL_XML = RESULT_FORMATS["xml"]
_SR = "{http://www.w3.org/2005/sparql-results#}"


def base_type(content_type: str | None) -> str:
    """The media type without parameters, lower-cased.

    >>> base_type("application/sparql-results+json; charset=UTF-8")
    'application/sparql-results+json'
    """
    return (content_type or "").split(";")[0].strip().lower()


def server_limits(headers: Mapping[str, str]) -> str | None:
    """A note when the response headers say the server cut the result short, else None.

    >>> server_limits({"X-SPARQL-MaxRows": "50"})
    'the server returned at most 50 rows (its ResultSetMaxRows); the result is incomplete'
    >>> server_limits({}) is None
    True
    """
    notes = []
    if max_rows := headers.get("X-SPARQL-MaxRows"):
        notes.append(
            f"the server returned at most {max_rows} rows {ROW_CAP}; the result is incomplete"
        )
    if state := headers.get("X-SQL-State"):
        message = " ".join((headers.get("X-SQL-Message") or "").split())[:200]
        notes.append(f"{EARLY_STOP} ({state}: {message})")
    return "; ".join(notes) or None


def cut_short(body: bytes, where: str) -> QueryError:
    """The error for a body that stops mid-way (a server timeout that kept status 200)."""
    tail = body[-200:].decode("utf-8", "replace").strip().splitlines()
    last = tail[-1][-120:] if tail else ""
    return QueryError(
        f"{where}: the server cut the result short after {len(body)} bytes"
        f" (timeout or error mid-answer): ...{last}",
        status_code=504,
    )


def term(binding: Mapping[str, str]) -> Node:
    """One SPARQL JSON result term (SPARQL 1.1 Query Results JSON, section 3.2.2).

    >>> term({"type": "literal", "value": "x", "datatype": str(XSD.string)}) == Literal("x")
    True
    >>> term({"type": "literal", "value": "تهران", "xml:lang": "fa"}).language
    'fa'
    """
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):  # typed-literal: the 2007 draft, still seen
        if lang := binding.get("xml:lang"):
            return Literal(value, lang=lang)
        datatype = binding.get("datatype")
        if datatype and datatype != str(XSD.string):
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    raise QueryError(f"unsupported result term type {kind!r}")


def parse_json_results(body: bytes, where: str) -> QueryResult:
    """A SELECT or ASK result from ``application/sparql-results+json``."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise cut_short(body, where) from None
    if not isinstance(data, dict):
        raise QueryError(f"{where}: the server's JSON result is not an object", 502)
    if "boolean" in data:
        return QueryResult(kind="ask", boolean=bool(data["boolean"]))
    try:
        variables = list(data["head"].get("vars", []))
        bindings = data["results"]["bindings"]
    except (KeyError, TypeError, AttributeError):
        raise QueryError(f"{where}: the server's JSON result has no head/results", 502) from None
    if variables == ["__ASK_RETVAL"]:  # Virtuoso 7 answers ASK as a one-cell SELECT
        cell = bindings[0].get("__ASK_RETVAL", {}) if bindings else {}
        return QueryResult(kind="ask", boolean=str(cell.get("value", "0")) not in ("0", ""))
    rows = [
        tuple(term(b[v]) if v in b else None for v in variables)
        for b in bindings
        if isinstance(b, dict)
    ]
    return QueryResult(kind="select", variables=variables, rows=rows)


def parse_graph(body: bytes, media_type: str, where: str) -> Graph:
    """An RDF graph from a response body; a body that does not parse was cut short."""
    fmt = RDF_PARSERS.get(base_type(media_type))
    if fmt is None:
        raise QueryError(f"{where}: unexpected response type {media_type!r}", 502)
    graph = Graph()
    try:
        graph.parse(data=body, format=fmt)
    except Exception:  # rdflib raises many parser-specific types
        raise cut_short(body, where) from None
    return graph


def cap_rows(result: QueryResult, max_results: int | None) -> QueryResult:
    """Keep at most ``max_results`` rows (or triples), marking the result truncated."""
    if max_results is None:
        return result
    if result.kind == "select" and len(result.rows) > max_results:
        result.rows = result.rows[:max_results]
    elif result.kind == "graph" and result.graph is not None and len(result.graph) > max_results:
        capped = Graph()
        for i, triple in enumerate(result.graph):
            if i >= max_results:
                break
            capped.add(triple)
        result.graph = capped
    else:
        return result
    result.truncated = True
    result.note = _join(result.note, f"cut at {max_results} results (max_results)")
    return result


def _join(first: str | None, second: str) -> str:
    return f"{first}; {second}" if first else second


def check_and_cap(
    body: bytes, media_type: str, max_results: int | None, where: str
) -> tuple[bytes, bool]:
    """Check that a serialized result is whole and keep at most ``max_results`` items.

    Returns the (possibly shortened) body and whether it was shortened.

    >>> check_and_cap(b"a\\r\\n1\\r\\n2\\r\\n", "text/csv", 1, "q")
    (b'a\\r\\n1\\r\\n', True)
    """
    kind = base_type(media_type)
    if kind == SPARQL_JSON:
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise cut_short(body, where) from None
        bindings = data.get("results", {}).get("bindings") if isinstance(data, dict) else None
        if max_results is None or bindings is None or len(bindings) <= max_results:
            return body, False
        data["results"]["bindings"] = bindings[:max_results]
        return json.dumps(data, ensure_ascii=False).encode("utf-8"), True
    if kind == SPARQL_XML:
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            raise cut_short(body, where) from None
        results = root.find(f"{_SR}results")
        rows = [] if results is None else list(results)
        if max_results is None or results is None or len(rows) <= max_results:
            return body, False
        for row in rows[max_results:]:
            results.remove(row)
        ET.register_namespace("", _SR[1:-1])
        return ET.tostring(root, encoding="utf-8", xml_declaration=True), True
    if kind in (
        "text/csv",
        "text/tab-separated-values",
        "application/n-triples",
        "application/n-quads",
    ):
        return _cap_lines(body, kind, max_results, where)
    if kind in RDF_PARSERS:
        graph = parse_graph(body, kind, where)
        if max_results is None or len(graph) <= max_results:
            return body, False
        capped = cap_rows(QueryResult(kind="graph", graph=graph), max_results).graph
        assert capped is not None
        return capped.serialize(format=RDF_PARSERS[kind], encoding="utf-8"), True
    return body, False  # a type we cannot read: passed through unchanged


def _cap_lines(body: bytes, kind: str, max_results: int | None, where: str) -> tuple[bytes, bool]:
    """Line-based results: whole when they end with a line break (RFC 4180, N-Triples)."""
    if body and not body.endswith(b"\n"):
        raise cut_short(body, where)
    header = 1 if kind.startswith("text/") else 0
    text = body.decode("utf-8")
    if kind == "text/csv":  # CSV may quote line breaks inside values
        records = list(csv.reader(io.StringIO(text, newline="")))
        if max_results is None or len(records) - header <= max_results:
            return body, False
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(records[: header + max_results])
        return out.getvalue().encode("utf-8"), True
    lines = text.splitlines(keepends=True)
    items = [i for i, line in enumerate(lines) if line.strip() and not line.startswith("#")]
    if max_results is None or len(items) - header <= max_results:
        return body, False
    keep = items[header + max_results - 1] + 1 if header + max_results else 0
    return "".join(lines[:keep]).encode("utf-8"), True
