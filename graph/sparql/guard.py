"""Checks a SPARQL query before it runs: syntax, read-only, no outside access, dataset.

One :func:`check_query` serves every runner of SPARQL: the endpoint and the CLI's
``query`` (untrusted text: parsed), and both stores, which screen every query they run
(``parse=False``: rdflib's parser takes 30-100 ms, more than most queries, and the stores
run the projection's and ingest's own queries by the thousand).

Every query is made canonical first (:func:`canonical_query`), and the canonical text is
what is checked and run. Every query is screened token by token (strings, IRIs and
comments skipped) for the ``SERVICE`` and ``LOAD`` keywords. The endpoint is exposed to
untrusted clients, so a query it runs must also never change data or read a file. Those
features are found in the parsed algebra (``rdflib.plugins.sparql``), not by a regular
expression on the text, which comments and string literals would fool:

* SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ...) is not a query: the
  query grammar rejects it, and the update grammar tells us it was one, for a clear message;
* ``SERVICE`` (SPARQL 1.1 Federated Query §2) anywhere in the algebra, including inside
  ``EXISTS``, is refused;
* ``FROM`` / ``FROM NAMED`` (SPARQL 1.1 Query §13.2) may only name graphs the store holds.

The SPARQL 1.1 Protocol (§2.1.4) lets a request give the dataset with ``default-graph-uri``
and ``named-graph-uri``, which take precedence over the query's own dataset clauses;
:func:`apply_dataset` rewrites the query text to carry them, and re-parses the result to
prove the rewrite says exactly what was asked.

>>> check_query("SELECT ?s WHERE { ?s ?p ?o }").form
'select'
>>> check_query("ASK { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
graph.errors.QueryError: SERVICE is refused: this endpoint never contacts other servers
>>> check_query("SELECT * WHERE { ?s ?p 'SERVICE' } # SERVICE in a comment", parse=False).form
'select'
>>> check_query("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }", parse=False)
Traceback (most recent call last):
graph.errors.QueryError: SERVICE and LOAD are not allowed in queries: no other server is contacted
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from graph.errors import QueryError
from graph.sparql.tokens import tokens as lex

QueryForm = Literal["select", "ask", "construct", "describe"]
_FORMS: dict[str, QueryForm] = {
    "SelectQuery": "select",
    "AskQuery": "ask",
    "ConstructQuery": "construct",
    "DescribeQuery": "describe",
}
_FORMS_BY_WORD: dict[str, QueryForm] = {
    "SELECT": "select",
    "ASK": "ask",
    "CONSTRUCT": "construct",
    "DESCRIBE": "describe",
}


_TOO_DEEP = "malformed query: nested too deeply (groups, expressions or paths) to check"


# Strings, IRIs and comments, so keywords are only looked for in the query's own syntax.
# The query is canonical (:func:`canonical_query`) before this runs, so "\n" ends a line.
_SKIPPED = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\r\n]|\\.)*"|\'(?:[^\'\\\r\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\s]*>|#[^\r\n]*"
)
# A keyword, not part of a prefixed name (sg:Service), variable (?service) or local name.
_FORBIDDEN = re.compile(r"(?<![\w:?$.\-])(SERVICE|LOAD)(?![\w:\-])", re.IGNORECASE)
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*|BASE\s+)<[^>]*>\s*)*", re.IGNORECASE)
_FORM = re.compile(r"\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the checks; ``text`` carries the dataset the request asked for.

    ``form`` is ``unknown`` only for an unparsed query (``parse=False``) whose form the
    screen could not see: the engine then reports what is wrong with it.
    """

    text: str
    form: QueryForm | Literal["unknown"]
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        """The text without its comments (a sub-select may wrap it: no comment runs on)."""
        return _SKIPPED.sub(lambda m: "" if m.group().startswith("#") else m.group(), self.text)


def canonical_query(sparql: str) -> str:
    """The query text with every line end written ``\\n``: the text that is checked and run.

    The SPARQL grammar ends a ``#`` comment at CR or LF (SPARQL 1.1 Query §19.8, [COMMENT]);
    rdflib's parser, which the endpoint's checks use, ends it at LF only, while pyoxigraph
    follows the grammar. Without this, ``# x\\r SERVICE <...>`` is a comment to the check and
    a federated call to the engine. A CR inside a long string literal becomes LF: the only
    change in meaning, and a harmless one.

    >>> canonical_query("SELECT * { # x\\r SERVICE <http://x/> { ?s ?p ?o } }")
    'SELECT * { # x\\n SERVICE <http://x/> { ?s ?p ?o } }'
    """
    return sparql.replace("\r\n", "\n").replace("\r", "\n")


def check_query(
    text: str,
    graph_names: Collection[str] | None = None,
    *,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
    parse: bool = True,
) -> CheckedQuery:
    """Refuse what a read-only server that never contacts others must not run.

    Every query is made canonical and screened for ``SERVICE`` and ``LOAD``. With
    ``parse`` (untrusted text) it is also parsed: SPARQL Update, a malformed query (the
    parser's message and position) and SERVICE anywhere in the algebra are refused;
    ``graph_names`` are the IRIs of the store's graphs (``None`` skips the FROM check, only
    for trusted catalogue queries), and the protocol's dataset is applied. The returned
    ``text`` is the canonical text that was checked: run that, never the text as sent.
    """
    text = canonical_query(text)
    form: QueryForm | Literal["unknown"]
    dataset: list[tuple[str, str]] = []
    if parse:
        form, dataset = _parse(text)
        if graph_names is not None:
            _check_graphs(dataset, graph_names, "FROM")
        if default_graph_uris or named_graph_uris:
            if graph_names is not None:
                given = [("default", g) for g in default_graph_uris]
                given += [("named", g) for g in named_graph_uris]
                _check_graphs(given, graph_names, "default-graph-uri/named-graph-uri")
            text = apply_dataset(text, default_graph_uris, named_graph_uris)
            _, dataset = _parse(text)
        _screen(text)
    else:
        form = _screen(text)
    return CheckedQuery(
        text=text,
        form=form,
        default_graphs=tuple(g for kind, g in dataset if kind == "default"),
        named_graphs=tuple(g for kind, g in dataset if kind == "named"),
    )


def _screen(text: str) -> QueryForm | Literal["unknown"]:
    """Refuse the SERVICE and LOAD keywords outside strings, IRIs and comments; the form."""
    bare = _SKIPPED.sub(lambda m: "" if m.group().startswith("#") else " ", text)
    if _FORBIDDEN.search(bare):
        raise QueryError(
            "SERVICE and LOAD are not allowed in queries: no other server is contacted"
        )
    code = _SKIPPED.sub(lambda m: "" if m.group().startswith("#") else m.group(), text)
    head = _PROLOGUE.match(code)
    found = _FORM.match(code, head.end() if head else 0)
    return _FORMS_BY_WORD.get(found.group(1).upper(), "unknown") if found else "unknown"


def subselect(code: str, projection: str) -> str:
    """The SELECT ``code`` wrapped as a sub-select projecting ``projection``, its prologue
    kept in front, so a caller can append ``ORDER BY``/``LIMIT``/``OFFSET``.

    >>> subselect("PREFIX sg: <x:> SELECT ?s { ?s a sg:S }", "?s")
    'PREFIX sg: <x:> SELECT ?s WHERE { { SELECT ?s { ?s a sg:S } } }'
    """
    head = _PROLOGUE.match(code)
    cut = head.end() if head else 0
    return f"{code[:cut]}SELECT {projection} WHERE {{ {{ {code[cut:]} }} }}"


def _parse(text: str) -> tuple[QueryForm, list[tuple[str, str]]]:
    """The query form and its dataset clauses; every refusal raised here."""
    try:
        parsed = parseQuery(text)
    except RecursionError:
        raise QueryError(_TOO_DEEP) from None
    except ParseBaseException as exc:
        if _is_update(text):
            raise QueryError(
                "SPARQL Update is refused: this endpoint is read-only "
                "(INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY)"
            ) from None
        raise QueryError(
            f"malformed query: {exc.msg} at line {exc.lineno}, column {exc.col}"
        ) from None
    try:
        query = translateQuery(parsed)
    except RecursionError:
        raise QueryError(_TOO_DEEP) from None
    except Exception as exc:  # rdflib raises bare Exception for unknown prefixes
        raise QueryError(f"malformed query: {exc}") from None
    algebra = query.algebra
    for node in _walk(algebra):
        if node.name == "ServiceGraphPattern":
            raise QueryError("SERVICE is refused: this endpoint never contacts other servers")
    dataset = [
        (kind, str(clause[kind]))
        for clause in algebra.get("datasetClause") or ()
        for kind in ("default", "named")
        if kind in clause
    ]
    return _FORMS[algebra.name], dataset


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except ParseBaseException:
        return False
    return True


def _walk(node: Any) -> Iterator[CompValue]:
    """Every CompValue of an algebra tree, depth first (expressions included)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def _check_graphs(
    dataset: Sequence[tuple[str, str]], graph_names: Collection[str], where: str
) -> None:
    known = set(graph_names)
    for _, iri in dataset:
        if iri not in known:
            raise QueryError(
                f"{where} <{iri}> is refused: only graphs held by this store may be named "
                "(the endpoint never reads files or fetches URLs)"
            )


# --- dataset rewrite (Protocol §2.1.4) -------------------------------------------------

_FORM_WORDS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
_STOP_WORDS = {"WHERE", "FROM", "ORDER", "GROUP", "HAVING", "LIMIT", "OFFSET", "VALUES"}


def apply_dataset(
    text: str, default_graph_uris: Sequence[str], named_graph_uris: Sequence[str]
) -> str:
    """Replace the query's FROM / FROM NAMED clauses by the given graphs.

    >>> apply_dataset("SELECT * # FROM <x>\\nWHERE { ?s ?p ?o }", ["urn:g1"], [])
    'SELECT * # FROM <x>\\n FROM <urn:g1> WHERE { ?s ?p ?o }'
    >>> apply_dataset("CONSTRUCT { ?s ?p ?o } FROM <urn:a> WHERE { ?s ?p ?o }", [], ["urn:b"])
    'CONSTRUCT { ?s ?p ?o }  FROM NAMED <urn:b> WHERE { ?s ?p ?o }'
    """
    for iri in (*default_graph_uris, *named_graph_uris):
        if not re.fullmatch(r"[^<>\"{}|^`\\\x00-\x20]+", iri):
            raise QueryError(f"default-graph-uri/named-graph-uri {iri!r} is not an IRI")
    tokens = lex(text)
    start = _dataset_position(tokens)
    if start is None:
        raise QueryError("cannot apply default-graph-uri/named-graph-uri to this query")
    at = tokens[start][2] if start < len(tokens) else len(text)
    end, i = at, start
    while i < len(tokens) and tokens[i][1].upper() == "FROM":  # the query's own clauses
        i += 2 if i + 1 < len(tokens) and tokens[i + 1][1].upper() == "NAMED" else 1
        end = tokens[i][3] if i < len(tokens) else len(text)
        i += 1
    clauses = [f"FROM <{g}>" for g in default_graph_uris]
    clauses += [f"FROM NAMED <{g}>" for g in named_graph_uris]
    rewritten = f"{text[:at]} {' '.join(clauses)} {text[end:].lstrip()}"
    _, dataset = _parse(rewritten)
    wanted = [("default", g) for g in default_graph_uris] + [("named", g) for g in named_graph_uris]
    if sorted(dataset) != sorted(wanted):
        raise QueryError("cannot apply default-graph-uri/named-graph-uri to this query")
    return rewritten


def _dataset_position(tokens: Sequence[tuple[str, str, int, int]]) -> int | None:
    """Index of the token before which dataset clauses go (SPARQL 1.1 Query §17, [7]-[12])."""
    i = next(
        (k for k, t in enumerate(tokens) if t[0] == "word" and t[1].upper() in _FORM_WORDS),
        None,
    )
    if i is None:
        return None
    form = tokens[i][1].upper()
    i += 1
    if form == "CONSTRUCT" and i < len(tokens) and tokens[i][1] == "{":
        depth = 0
        for k in range(i, len(tokens)):
            depth += {"{": 1, "}": -1}.get(tokens[k][1], 0)
            if depth == 0:
                i = k + 1
                break
        else:
            return None
    depth = 0
    for k in range(i, len(tokens)):
        kind, value = tokens[k][0], tokens[k][1]
        if value == "(":
            depth += 1
        elif value == ")":
            depth -= 1
        elif depth == 0 and (value == "{" or (kind == "word" and value.upper() in _STOP_WORDS)):
            return k
    return len(tokens)
