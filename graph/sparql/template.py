"""SPARQL texts kept in ``.rq`` files, with their parameters bound as RDF terms.

A query's parameters are ``$name`` placeholders where a term may stand, most often in a
``VALUES`` block (``VALUES ?system { $system }``). :meth:`Template.render` replaces each by
properly written terms only: an IRI is checked to hold no character an IRIREF forbids, a
literal is escaped by rdflib, and nothing else of the text changes, so a value cannot
inject SPARQL. A parameter not given becomes ``UNDEF``, which leaves the variable free; one
given with no terms leaves its ``VALUES`` block empty, which no solution passes. One
``$page`` placeholder, where there is one, takes a :class:`Page`'s ``LIMIT``/``OFFSET``.

Templates live beside the code that runs them and are read with
:func:`importlib.resources.files` (:func:`load_template`); each gets the prefixes of
:func:`ontology.namespace.sparql_prefixes` in front, so no file spells a namespace.

>>> t = Template("t", "SELECT ?s WHERE { VALUES ?s { $s } } $page")
>>> t.render({"s": [URIRef("urn:x"), Literal('a "b"')]}, Page(5))
'SELECT ?s WHERE { VALUES ?s { <urn:x> "a \\\\"b\\\\"" } } LIMIT 5'
>>> t.render(), t.render({"s": []})
('SELECT ?s WHERE { VALUES ?s { UNDEF } } ', 'SELECT ?s WHERE { VALUES ?s {  } } ')
>>> t.render({"s": [URIRef("urn:x> } ; DROP ALL #")]})
Traceback (most recent call last):
...
graph.errors.QueryError: parameter s: 'urn:x> } ; DROP ALL #' is not a valid IRI
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from rdflib import Literal, URIRef
from rdflib.term import Node

from graph.errors import QueryError
from graph.sparql.tokens import tokens
from ontology.namespace import sparql_prefixes

__all__ = ["IRI", "Page", "Template", "iri", "is_iri", "load_template", "placeholders"]

IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*$")
"""An absolute IRI that an IRIREF can hold (SPARQL 1.1 Query §19.8, [139])."""


@dataclass(frozen=True)
class Page:
    """A slice of a query's rows: ``limit`` rows after the first ``offset``."""

    limit: int
    offset: int = 0

    def __post_init__(self) -> None:
        if self.limit < 1 or self.offset < 0:
            raise QueryError(f"limit must be at least 1 and offset at least 0, not {self}")

    def clause(self) -> str:
        return f"LIMIT {self.limit} OFFSET {self.offset}" if self.offset else f"LIMIT {self.limit}"


def placeholders(text: str, params: set[str] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, name) of each ``$param`` (every one when ``params`` is None) and of
    ``$page`` in a query text; placeholders inside strings and comments are not ones."""
    return [
        (start, end, token[1:])
        for kind, token, start, end in tokens(text)
        if kind == "word"
        and token.startswith("$")
        and (params is None or token[1:] in params or token == "$page")
    ]


@dataclass(frozen=True)
class Template:
    """A query text with ``$param`` placeholders (``params``: their names, ``$page`` aside)."""

    name: str
    text: str
    params: frozenset[str] = field(default=frozenset())

    def __post_init__(self) -> None:
        if not self.params:
            found = {n for _, _, n in placeholders(self.text)} - {"page"}
            object.__setattr__(self, "params", frozenset(found))

    def render(
        self, values: Mapping[str, Sequence[Node]] | None = None, page: Page | None = None
    ) -> str:
        """The text with every ``$param`` replaced by its terms (``UNDEF`` when not given)
        and ``$page`` by the page's clause (nothing without a page: every row)."""
        values = values or {}
        for name in values:
            if name not in self.params:
                raise QueryError(f"query {self.name} has no parameter {name!r}")
        out, last = [], 0
        for start, end, name in placeholders(self.text, set(self.params)):
            written = (page.clause() if page else "") if name == "page" else None
            if written is None:
                written = _terms(name, values[name]) if name in values else "UNDEF"
            out += [self.text[last:start], written]
            last = end
        return "".join([*out, self.text[last:]])


def _terms(name: str, terms: Sequence[Node]) -> str:
    written = []
    for term in terms:
        if isinstance(term, URIRef):
            if not IRI.match(str(term)):
                raise QueryError(f"parameter {name}: {str(term)!r} is not a valid IRI")
            written.append(f"<{term}>")
        elif isinstance(term, Literal):
            written.append(term.n3())  # rdflib escapes quotes, backslashes and newlines
        else:
            raise QueryError(f"parameter {name}: only IRIs and literals are allowed")
    return " ".join(written)


@cache
def load_template(package: str, path: str) -> Template:
    """The template in the file ``path`` (``queries/nodes.rq``) of ``package``, with every
    prefix in front.

    >>> "PREFIX sg:" in load_template("graph.analysis", "queries/nodes.rq").text
    True
    """
    text = resources.files(package).joinpath(*path.split("/")).read_text(encoding="utf-8")
    return Template(path.rsplit("/", 1)[-1].removesuffix(".rq"), sparql_prefixes() + text)


def iri(value: str | URIRef) -> str:
    """An IRI written for a SPARQL text; refuses anything an IRIREF cannot hold.

    >>> iri("urn:x"), is_iri("https://w3id.org/x"), is_iri("شاهکار")
    ('<urn:x>', True, False)
    """
    if not IRI.match(str(value)):
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


def is_iri(value: str) -> bool:
    """An absolute http(s) or urn IRI, taken as given (anything else is a name)."""
    return bool(IRI.match(value)) and value.startswith(("http://", "https://", "urn:"))
