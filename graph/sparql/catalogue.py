"""The query catalogue: the questions architects ask, as SPARQL files in ``queries/``.

Each ``NAME.rq`` starts with comment headers::

    # title: Services that depend on a system
    # title_fa: خدمت‌های وابسته به یک سامانه
    # description: ...
    # param: system system The system, as an IRI or a name

A ``param`` line declares ``$name`` placeholders with a kind: ``agency``, ``system``,
``field`` (the value is an IRI, or a name matched against the labels in the graph with
:class:`graph.names.Names`, the one name lookup) or ``literal``. Placeholders stand where a term may
(``VALUES ?system { $system }``) and are bound as RDF terms by
:class:`~graph.sparql.template.Template`, never spliced; a missing value becomes
``UNDEF``, which leaves the variable free (the query then covers everything).

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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rdflib import Literal, URIRef
from rdflib.term import Node

from graph.errors import NotFoundError, QueryError
from graph.names import names_from_rows
from graph.sparql.template import Page, Template, is_iri, load_template, placeholders
from ontology.namespace import SG

__all__ = [
    "PARAM_KINDS",
    "CatalogueQuery",
    "Page",
    "Param",
    "bind",
    "candidates_query",
    "catalogue",
    "is_iri",
    "kinds_to_read",
    "load",
    "needs_names",
    "value_terms",
]

PARAM_KINDS = ("agency", "system", "field", "literal")
RESERVED = ("format", "limit", "offset", "page")
"""Names the HTTP and CLI interfaces use themselves: no catalogue parameter may take one."""


@dataclass(frozen=True, slots=True)
class Param:
    """A ``# param:`` header: the placeholder's name, its kind and what it means."""

    name: str
    kind: str
    description: str


@dataclass(frozen=True, slots=True)
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
        """The query with every ``$param`` bound to its terms (``UNDEF`` when absent)
        and ``$page`` replaced by the page's clause (nothing without a page: every row)."""
        names = frozenset(p.name for p in self.params) or frozenset({"page"})
        return Template(self.name, self.text, names).render(values, page)


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
    pages = [p for p in placeholders(text, set()) if p[2] == "page"]
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
    folder = resources.files("graph.sparql").joinpath("queries")
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

_CLASSES = {"agency": SG.Agency, "system": SG.System, "field": SG.ExchangedField}


def candidates_query(kind: str) -> str:
    """SPARQL listing every entity of ``kind`` with each of its labels (``candidates.rq``)."""
    template = load_template("graph.sparql", "candidates.rq")
    return template.render({"class": [_CLASSES[kind]]})


def needs_names(param: Param, values: Iterable[str]) -> bool:
    """Whether a value of ``param`` is a name to match (the entity labels must be read)."""
    return param.kind != "literal" and not all(is_iri(v) for v in values)


def value_terms(
    param: Param, value: str, candidates: Iterable[tuple[Node | None, ...]] | None
) -> list[Node]:
    """Terms for one parameter value: an IRI as given, a name matched, or a literal."""
    if param.kind == "literal":
        return [Literal(value)]
    if is_iri(value):
        return [URIRef(value)]
    found = names_from_rows(param.kind, candidates or ()).matches(value, (param.kind,))
    if not found:
        raise NotFoundError(f"parameter {param.name}: no {param.kind} named {value!r}")
    return [URIRef(iri) for iri in found]


def bind(
    query: CatalogueQuery,
    given: Mapping[str, Sequence[str]],
    candidates: Mapping[str, Iterable[tuple[Node | None, ...]]],
    page: Page | None = None,
) -> str:
    """The text of ``query`` with the values ``given`` by name (CLI ``--param``, HTTP query
    string) bound; ``candidates`` are the labelled entities of each kind named by a value
    (:func:`kinds_to_read` says which kinds to read)."""
    unknown = set(given) - {p.name for p in query.params}
    if unknown:
        raise QueryError(f"query {query.name} has no parameter {', '.join(sorted(unknown))}")
    values: dict[str, list[Node]] = {}
    for param in query.params:
        texts = [t for t in given.get(param.name, ()) if t.strip()]
        if texts:
            rows = candidates.get(param.kind)
            values[param.name] = [t for text in texts for t in value_terms(param, text, rows)]
    return query.render(values, page)


def kinds_to_read(query: CatalogueQuery, given: Mapping[str, Sequence[str]]) -> set[str]:
    """The kinds whose labelled entities :func:`bind` needs for the values ``given``."""
    return {
        p.kind
        for p in query.params
        if needs_names(p, [t for t in given.get(p.name, ()) if t.strip()])
    }
