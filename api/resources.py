"""What the resource routers (services, agencies, systems) share.

Their queries are ``.rq`` files beside them in ``api/routers``, run with parameters bound
as RDF terms (:func:`rows`); a filter or ``{id}`` given as a name is looked up with
:func:`named` and :func:`find`, through :class:`graph.names.Names`, the one name lookup
(IRI, key, slug, or any spelling of a label) that the CLI, maps and impact use too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel
from rdflib import URIRef
from rdflib.term import Node

from api.deps import PoolDep, SettingsDep
from api.results import dicts, select
from graph.names import Names, names_from_rows
from graph.sparql.catalogue import candidates_query
from graph.sparql.template import Page, is_iri, load_template
from graph.text import match_key

NameQuery = Annotated[str | None, Query(description="text in the name")]
"""The ``q`` of a listing: entries whose name holds the text, in any spelling."""


class Ref(BaseModel):
    iri: str
    label: str | None
    count: int | None = None


async def rows(
    pool: PoolDep,
    settings: SettingsDep,
    name: str,
    values: Mapping[str, Sequence[Node]] | None = None,
    page: Page | None = None,
) -> list[dict[str, Any]]:
    """Rows of the router query ``api/routers/<name>.rq``, as plain JSON values.

    Labels are picked with MIN, never SAMPLE: the answer must not depend on the engine or
    on the order the cards were loaded in (embedded and remote stores must agree).
    """
    template = load_template("api.routers", f"{name}.rq")
    return await dicts(pool, settings, template.render(values, page))


def refs(rows: list[dict[str, Any]], node: str, label: str, count: str | None = None) -> list[Ref]:
    """One :class:`Ref` per distinct ``node`` of the rows, in their order."""
    seen: dict[str, Ref] = {}
    for row in rows:
        if row.get(node) and row[node] not in seen:
            seen[row[node]] = Ref(
                iri=row[node], label=row.get(label), count=row.get(count) if count else None
            )
    return list(seen.values())


def key_of(value: str, prefix: str) -> str:
    """``value`` without ``prefix`` (the key of an IRI under a base)."""
    return value[len(prefix) :] if value.startswith(prefix) else value


def matches(text: str, *labels: str | None) -> bool:
    """Whether ``text`` is in one of ``labels``, in any spelling.

    >>> matches("شاهكار", "سرویس شاهکار"), matches("gsb", None, "GSB"), matches("x", None)
    (True, True, False)
    """
    key = match_key(text)
    return any(key and key in match_key(label) for label in labels if label)


async def _names(kind: str, pool: PoolDep, settings: SettingsDep) -> Names:
    result = await select(pool, settings, candidates_query(kind))
    return names_from_rows(kind, result.rows)


async def named(kind: str, text: str, pool: PoolDep, settings: SettingsDep) -> list[URIRef]:
    """IRIs a filter value names: the IRI itself, or every entity the name matches."""
    if is_iri(text):
        return [URIRef(text)]
    return [URIRef(iri) for iri in (await _names(kind, pool, settings)).matches(text, (kind,))]


async def find(kind: str, key: str, pool: PoolDep, settings: SettingsDep) -> str:
    """The one entity an ``{id}`` names: an IRI, its key, its slug or any of its names."""
    return (await _names(kind, pool, settings)).resolve(key, kind)
