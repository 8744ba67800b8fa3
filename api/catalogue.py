"""The query catalogue: the questions architects ask, as SPARQL files in ``api/queries``.

Each ``NAME.rq`` starts with comment headers::

    # title: Services that depend on a system
    # title_fa: خدمت‌های وابسته به یک سامانه
    # description: ...
    # param: system system The system, as an IRI or a name

A ``param`` line declares ``$name`` placeholders with a kind: ``agency``, ``system``,
``field`` (the value is an IRI, or a name matched against the labels in the graph with
:func:`graph.text.match_key`) or ``literal``. Placeholders stand where a term may
(``VALUES ?system { $system }``) and are replaced by properly written RDF terms only:
an IRI is checked to contain no character an IRIREF forbids, a literal is escaped, and
nothing else of the query text changes, so a value cannot inject SPARQL. A missing value
becomes ``UNDEF``, which leaves the variable free (the query then covers everything).

Every query also holds one ``$page`` placeholder, where a :class:`Page` writes its
``LIMIT``/``OFFSET`` (nothing when the whole answer is asked for). A query whose answer
is a listing places it on the sub-select of its row keys, so a page costs what its rows
cost, not what the whole listing costs: on pyoxigraph every row of a 21,000-row listing
costs its joins and its decoding whatever LIMIT the outer query has, and ORDER BY over
such a listing alone takes a second. Those pages follow the store's own row order (each
page is sorted; one revision of the store always cuts the same pages). A query that
aggregates places ``$page`` after its ORDER BY, so its pages are the sorted answer cut.

>>> q = load("services-by-system")
>>> [p.name for p in q.params]
['system']
>>> "<urn:x>" in q.render({"system": [URIRef("urn:x")]})
True
>>> "LIMIT 10 OFFSET 20" in q.render(page=Page(limit=10, offset=20))
True
>>> q.render({"system": [URIRef("urn:x> } ; DROP ALL #")]})
Traceback (most recent call last):
...
graph.errors.QueryError: parameter system: 'urn:x> } ; DROP ALL #' is not a valid IRI
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rdflib import Literal, URIRef
from rdflib.term import Node

from api.guard import _tokens
from graph.errors import NotFoundError, QueryError
from graph.text import match_key

PARAM_KINDS = ("agency", "system", "field", "literal")
RESERVED = ("format", "limit", "offset", "page")
"""Names the HTTP and CLI interfaces use themselves: no catalogue parameter may take one."""
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*$")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    description: str


@dataclass(frozen=True)
class Page:
    """A slice of a catalogue query's rows: ``limit`` rows after the first ``offset``."""

    limit: int
    offset: int = 0

    def __post_init__(self) -> None:
        if self.limit < 1 or self.offset < 0:
            raise QueryError(f"limit must be at least 1 and offset at least 0, not {self}")

    def clause(self) -> str:
        return f"LIMIT {self.limit} OFFSET {self.offset}" if self.offset else f"LIMIT {self.limit}"


@dataclass(frozen=True)
class CatalogueQuery:
    """One catalogue query with its headers."""

    name: str
    title: str
    title_fa: str | None
    description: str
    params: tuple[Param, ...]
    text: str

    def render(
        self, values: Mapping[str, Sequence[Node]] | None = None, page: Page | None = None
    ) -> str:
        """The query with every ``$param`` replaced by its terms (``UNDEF`` when absent)
        and ``$page`` by the page's clause (nothing without a page: every row)."""
        values = values or {}
        known = {p.name for p in self.params}
        for name in values:
            if name not in known:
                raise QueryError(f"query {self.name} has no parameter {name!r}")
        out, last = [], 0
        for start, end, name in _placeholders(self.text, known):
            if name == "page":
                written = page.clause() if page else ""
            else:
                written = _terms(name, values.get(name, ()))
            out += [self.text[last:start], written]
            last = end
        return "".join([*out, self.text[last:]])


def _placeholders(text: str, params: set[str]) -> list[tuple[int, int, str]]:
    """(start, end, name) of each ``$param`` and of ``$page`` in the query text."""
    return [
        (start, end, token[1:])
        for kind, token, start, end in _tokens(text)
        if kind == "word" and token.startswith("$") and (token[1:] in params or token == "$page")
    ]


def _terms(name: str, terms: Sequence[Node]) -> str:
    if not terms:
        return "UNDEF"
    written = []
    for term in terms:
        if isinstance(term, URIRef):
            if not _IRI.match(str(term)):
                raise QueryError(f"parameter {name}: {str(term)!r} is not a valid IRI")
            written.append(f"<{term}>")
        elif isinstance(term, Literal):
            written.append(term.n3())  # rdflib escapes quotes, backslashes and newlines
        else:
            raise QueryError(f"parameter {name}: only IRIs and literals are allowed")
    return " ".join(written)


def _parse(name: str, text: str) -> CatalogueQuery:
    headers: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].partition(":")
        key, value = key.strip(), value.strip()
        if key == "param":
            pname, kind, description = ([*value.split(None, 2), "", ""])[:3]
            if kind not in PARAM_KINDS:
                raise QueryError(f"{name}.rq: parameter {pname} has unknown kind {kind!r}")
            params.append(Param(pname, kind, description))
        else:
            headers[key] = value
    if "title" not in headers or "description" not in headers:
        raise QueryError(f"{name}.rq: the '# title:' and '# description:' headers are required")
    for param in params:
        if param.name in RESERVED:
            raise QueryError(f"{name}.rq: parameter name {param.name!r} is reserved")
    pages = [p for p in _placeholders(text, set()) if p[2] == "page"]
    if len(pages) != 1:
        raise QueryError(f"{name}.rq: needs exactly one $page placeholder, has {len(pages)}")
    return CatalogueQuery(
        name=name,
        title=headers["title"],
        title_fa=headers.get("title_fa"),
        description=headers["description"],
        params=tuple(params),
        text=text,
    )


@cache
def catalogue() -> dict[str, CatalogueQuery]:
    """Every catalogue query by name, read once from the package's ``queries`` folder."""
    folder = resources.files("api").joinpath("queries")
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = _parse(name, entry.read_text("utf-8"))
    return out


def load(name: str) -> CatalogueQuery:
    """The catalogue query ``name``; NotFoundError naming the ones that exist."""
    try:
        return catalogue()[name]
    except KeyError:
        raise NotFoundError(
            f"no catalogue query named {name!r}; known: {', '.join(catalogue())}"
        ) from None


# --- parameter values ------------------------------------------------------------------

_CLASSES = {"agency": "Agency", "system": "System", "field": "ExchangedField"}


def candidates_query(kind: str) -> str:
    """SPARQL listing every entity of ``kind`` with each of its labels.

    Every card graph repeats the type and labels of the entities it names, and the default
    graph is their union: joining the type to the labels directly yields cards x cards rows
    per entity (a minute at 5,000 cards), so the entities are made DISTINCT first.
    """
    return f"""PREFIX sg: <https://w3id.org/servicegraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity ?label WHERE {{
  {{ SELECT DISTINCT ?entity WHERE {{ ?entity a sg:{_CLASSES[kind]} }} }}
  {{ ?entity rdfs:label ?label }} UNION {{ ?entity skos:prefLabel ?label }}
  UNION {{ ?entity skos:altLabel ?label }} UNION {{ ?entity sg:sourceLabel ?label }}
}}"""


def match_names(text: str, rows: Iterable[tuple[Node | None, ...]]) -> list[URIRef]:
    """Entities whose label has the match key of ``text``; else those containing it.

    >>> rows = [(URIRef("urn:a"), Literal("سرویس شاهکار")), (URIRef("urn:b"), Literal("GSB"))]
    >>> match_names("شاهكار", rows)
    [rdflib.term.URIRef('urn:a')]
    >>> match_names("gsb", rows)
    [rdflib.term.URIRef('urn:b')]
    """
    key = match_key(text)
    if not key:
        return []
    exact: set[URIRef] = set()
    partial: set[URIRef] = set()
    for entity, label, *_ in rows:
        if not isinstance(entity, URIRef) or label is None:
            continue
        label_key = match_key(str(label))
        if label_key == key:
            exact.add(entity)
        elif key in label_key:
            partial.add(entity)
    return sorted(exact or partial)


def needs_names(param: Param, values: Iterable[str]) -> bool:
    """Whether a value of ``param`` is a name to match (the entity labels must be read)."""
    return param.kind != "literal" and not all(is_iri(v) for v in values)


def is_iri(value: str) -> bool:
    """An absolute http(s) or urn IRI, taken as given (anything else is a name)."""
    return bool(_IRI.match(value)) and value.startswith(("http://", "https://", "urn:"))


def value_terms(
    param: Param, value: str, candidates: Iterable[tuple[Node | None, ...]] | None
) -> list[Node]:
    """Terms for one parameter value: an IRI as given, a name matched, or a literal."""
    if param.kind == "literal":
        return [Literal(value)]
    if is_iri(value):
        return [URIRef(value)]
    found = match_names(value, candidates or ())
    if not found:
        raise NotFoundError(f"parameter {param.name}: no {param.kind} named {value!r}")
    return list(found)
