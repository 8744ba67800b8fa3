"""REST resources for architects: services, agencies and systems.

Lists are filtered and paged in the server process from one SPARQL query run in the worker
pool (so the same time and size limits apply); Persian search uses
:func:`graph.text.match_key`, so any spelling of a name finds it. An ``{id}`` is a service
identifier (``13091710000``), the key of an IRI (``ref/system/shahkar``, or just its last
segment) or, for agencies and systems, a name.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import Response
from pydantic import BaseModel
from rdflib import Literal, URIRef

from api.catalogue import _IRI, candidates_query, match_names
from api.deps import PoolDep, SettingsDep, StoreDep
from api.negotiation import GRAPH_TYPES, parse_accept
from api.results import dicts, iri, select
from graph.errors import NotFoundError
from graph.store.results import RDF_PARSERS
from graph.text import match_key
from ontology.namespace import BASE, ID, sparql_prefixes

router = APIRouter()

PREFIXES = sparql_prefixes("sg", "dct", "rdfs", "org")
_RDF_FORMATS = {media: RDF_PARSERS[media] for media in GRAPH_TYPES}  # one graph


class ServiceSummary(BaseModel):
    iri: str
    key: str
    service_id: str | None
    title: str | None
    agency: str | None
    agency_label: str | None
    service_types: list[str]
    systems: list[str]


class Page(BaseModel):
    total: int
    limit: int
    offset: int


class ServiceList(Page):
    items: list[ServiceSummary]


class ServiceDetail(BaseModel):
    iri: str
    key: str
    graph: str
    source_file: str | None
    violations: int | None
    validation_messages: list[str]
    card: dict[str, Any]


class Ref(BaseModel):
    iri: str
    label: str | None
    count: int | None = None


class AgencySummary(BaseModel):
    iri: str
    label: str | None
    label_en: str | None
    parent: str | None
    services: int


class AgencyDetail(AgencySummary):
    service_list: list[Ref]
    systems: list[Ref]
    depends_on: list[Ref]
    depended_on_by: list[Ref]


class SystemSummary(BaseModel):
    iri: str
    label: str | None
    label_en: str | None
    operators: list[Ref]
    services: int


class SystemDetail(SystemSummary):
    consuming_services: list[Ref]
    fields: list[Ref]
    routed_via: list[Ref]


async def _rows(pool: PoolDep, settings: SettingsDep, query: str) -> list[dict[str, Any]]:
    """Rows of a SELECT written without its prologue (the routers' prefixes are added).

    Labels are picked with MIN, never SAMPLE: the answer must not depend on the engine or
    on the order the cards were loaded in (embedded and remote stores must agree).
    """
    return await dicts(pool, settings, PREFIXES + query)


def _key(value: str, prefix: str) -> str:
    return value[len(prefix) :] if value.startswith(prefix) else value


def _page(items: list[Any], limit: int, offset: int) -> tuple[list[Any], int]:
    return items[offset : offset + limit], len(items)


def _matches(text: str, *labels: str | None) -> bool:
    key = match_key(text)
    return any(key and key in match_key(label) for label in labels if label)


# --- services --------------------------------------------------------------------------

_SERVICES = (
    PREFIXES
    + """
SELECT ?service ?id ?title ?agency ?agencyLabel ?type ?system ?systemLabel WHERE {
  ?service a sg:Service .
  OPTIONAL { ?service dct:identifier ?id }
  OPTIONAL { ?service dct:title ?title }
  OPTIONAL { ?service sg:providedBy ?agency
             OPTIONAL { ?agency rdfs:label ?agencyLabel FILTER(LANG(?agencyLabel) = "fa") } }
  OPTIONAL { ?service sg:serviceType ?type }
  OPTIONAL { { ?service sg:hasExchange/sg:counterpartSystem ?system }
             UNION { ?service sg:deliveredThrough ?system }
             OPTIONAL { ?system rdfs:label ?systemLabel FILTER(LANG(?systemLabel) = "fa") } }
}"""
)


async def _services(pool: PoolDep, settings: SettingsDep) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row in await dicts(pool, settings, _SERVICES):
        item = out.setdefault(
            row["service"],
            {"types": set(), "systems": {}, "agencies": {}, "id": None, "title": None},
        )
        item["id"] = item["id"] or row["id"]
        item["title"] = item["title"] or row["title"]
        if row["agency"]:
            item["agencies"].setdefault(row["agency"], row["agencyLabel"])
        if row["type"]:
            item["types"].add(row["type"].rsplit("/", 1)[-1])
        if row["system"]:
            item["systems"].setdefault(row["system"], row["systemLabel"])
    return out


@router.get("/services", response_model=ServiceList, tags=["services"])
async def list_services(
    pool: PoolDep,
    settings: SettingsDep,
    agency: Annotated[str | None, Query(description="agency IRI or name")] = None,
    system: Annotated[str | None, Query(description="system IRI or name it depends on")] = None,
    service_type: Annotated[str | None, Query(description="G2C, G2B or G2G")] = None,
    q: Annotated[str | None, Query(description="text in the title or identifier")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ServiceList:
    """Services, filtered by agency, system, type and text; Persian in any spelling."""
    agencies = await _named("agency", agency, pool, settings) if agency else None
    systems = await _named("system", system, pool, settings) if system else None
    items = []
    for svc, d in sorted((await _services(pool, settings)).items()):
        if agencies is not None and not agencies & set(d["agencies"]):
            continue
        if systems is not None and not systems & set(d["systems"]):
            continue
        if service_type and service_type.upper() not in d["types"]:
            continue
        if q and not _matches(q, d["title"], d["id"]):
            continue
        agency_iri, agency_label = next(iter(d["agencies"].items()), (None, None))
        items.append(
            ServiceSummary(
                iri=svc,
                key=_key(svc, str(ID["service/"])),
                service_id=d["id"],
                title=d["title"],
                agency=agency_iri,
                agency_label=agency_label,
                service_types=sorted(d["types"]),
                systems=sorted(d["systems"]),
            )
        )
    page, total = _page(items, limit, offset)
    return ServiceList(total=total, limit=limit, offset=offset, items=page)


@router.get(
    "/services/{id}",
    response_model=ServiceDetail,
    tags=["services"],
    responses={200: {"content": {t: {} for t in GRAPH_TYPES}}},
)
async def get_service(
    id: str,
    pool: PoolDep,
    settings: SettingsDep,
    store: StoreDep,
    accept: Annotated[str | None, Header()] = None,
) -> ServiceDetail | Response:
    """The whole card of a service (canonical JSON), or its card graph as RDF by Accept."""
    literal = Literal(id).n3()
    by_key = ""
    if _IRI.match(str(ID[f"service/{id}"])) and "/" not in id:
        by_key = f"UNION {{ VALUES ?service {{ {iri(ID[f'service/{id}'])} }} }}"
    rows = await _rows(
        pool,
        settings,
        f"""SELECT ?service ?card ?json ?file ?violations ?message WHERE {{
  {{ ?service dct:identifier {literal} }} {by_key}
  ?card sg:describes ?service ; sg:canonicalCard ?json .
  OPTIONAL {{ ?card sg:sourceFile ?file }}
  OPTIONAL {{ ?card sg:violationCount ?violations }}
  OPTIONAL {{ ?card sg:validationMessage ?message }}
}} ORDER BY ?card""",
    )
    if not rows:
        raise NotFoundError(f"no service with identifier or key {id!r}")
    first = rows[0]
    for media, _ in sorted(parse_accept(accept), key=lambda r: -r[1]):
        if media in _RDF_FORMATS:
            graph = store.get_graph(URIRef(first["card"]))
            body = graph.serialize(format=_RDF_FORMATS[media], encoding="utf-8")
            return Response(body, media_type=f"{media}; charset=utf-8")
        if media in ("application/json", "*/*"):
            break
    return ServiceDetail(
        iri=first["service"],
        key=_key(first["service"], str(ID["service/"])),
        graph=first["card"],
        source_file=first["file"],
        violations=first["violations"],
        validation_messages=sorted({r["message"] for r in rows if r["message"]}),
        card=json.loads(first["json"]),
    )


async def _named(kind: str, text: str, pool: PoolDep, settings: SettingsDep) -> set[str]:
    """IRIs a filter value names: the IRI itself, or every entity whose label matches."""
    if text.startswith(("http://", "https://")):
        return {text}
    result = await select(pool, settings, candidates_query(kind))
    return {str(e) for e in match_names(text, result.rows)}


# --- agencies and systems ----------------------------------------------------------------


async def _find(kind: str, key: str, pool: PoolDep, settings: SettingsDep) -> str:
    """The IRI an ``{id}`` names: a key under the base IRI, a last segment, or a name."""
    result = await select(pool, settings, candidates_query(kind))
    entities = {str(row[0]) for row in result.rows}
    for candidate in (BASE + key, key):
        if candidate in entities:
            return candidate
    by_segment = sorted(e for e in entities if e.rsplit("/", 1)[-1] == key)
    if by_segment:
        return by_segment[0]
    named = match_names(key, result.rows)
    if named:
        return str(named[0])
    raise NotFoundError(f"no {kind} with key or name {key!r}")


def _refs(rows: list[dict[str, Any]], node: str, label: str, count: str | None = None) -> list[Ref]:
    seen: dict[str, Ref] = {}
    for row in rows:
        if row.get(node) and row[node] not in seen:
            seen[row[node]] = Ref(
                iri=row[node], label=row.get(label), count=row.get(count) if count else None
            )
    return list(seen.values())


_AGENCIES = (
    PREFIXES
    + """
SELECT ?agency (MIN(?fa) AS ?label) (MIN(?en) AS ?labelEn) (MIN(?p) AS ?parent)
       (COUNT(DISTINCT ?service) AS ?services) WHERE {
  ?agency a sg:Agency .
  OPTIONAL { ?agency rdfs:label ?fa FILTER(LANG(?fa) = "fa") }
  OPTIONAL { ?agency rdfs:label ?en FILTER(LANG(?en) = "en") }
  OPTIONAL { ?agency org:subOrganizationOf ?p }
  OPTIONAL { ?service sg:providedBy ?agency }
} GROUP BY ?agency ORDER BY DESC(?services) ?agency"""
)


def _agency(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "iri": row["agency"],
        "label": row["label"],
        "label_en": row["labelEn"],
        "parent": row["parent"],
        "services": row["services"] or 0,
    }


@router.get("/agencies", response_model=list[AgencySummary], tags=["agencies"])
async def list_agencies(
    pool: PoolDep,
    settings: SettingsDep,
    q: Annotated[str | None, Query(description="text in the name")] = None,
) -> list[AgencySummary]:
    rows = await dicts(pool, settings, _AGENCIES)
    return [
        AgencySummary(**_agency(r)) for r in rows if not q or _matches(q, r["label"], r["labelEn"])
    ]


@router.get("/agencies/{id:path}", response_model=AgencyDetail, tags=["agencies"])
async def get_agency(id: str, pool: PoolDep, settings: SettingsDep) -> AgencyDetail:
    """An agency with its services, its systems, whom it depends on and who depends on it."""
    agency = iri(await _find("agency", id, pool, settings))
    summary = await dicts(
        pool,
        settings,
        _AGENCIES.replace(
            "?agency a sg:Agency .", f"VALUES ?agency {{ {agency} }} ?agency a sg:Agency ."
        ),
    )
    services = await _rows(
        pool,
        settings,
        f"""
SELECT ?service (MIN(?t) AS ?title) WHERE {{
  ?service sg:providedBy {agency} . OPTIONAL {{ ?service dct:title ?t }}
}} GROUP BY ?service ORDER BY ?service""",
    )
    systems = await _rows(
        pool,
        settings,
        f"""
SELECT ?system (MIN(?l) AS ?label) WHERE {{
  ?system sg:operatedBy {agency} .
  OPTIONAL {{ ?system rdfs:label ?l FILTER(LANG(?l) = "fa") }}
}} GROUP BY ?system ORDER BY ?system""",
    )
    edges = (
        PREFIXES
        + """
SELECT ?other (MIN(?l) AS ?label) (COUNT(DISTINCT ?service) AS ?services) WHERE {
  ?service sg:providedBy ?from ; sg:hasExchange ?x .
  OPTIONAL { ?x sg:counterpartAgency ?a }
  OPTIONAL { ?x sg:counterpartSystem/sg:operatedBy ?op }
  BIND(COALESCE(?a, ?op) AS ?to)
  FILTER(BOUND(?to) && ?to != ?from)
  %s
  OPTIONAL { ?other rdfs:label ?l FILTER(LANG(?l) = "fa") }
} GROUP BY ?other ORDER BY DESC(?services) ?other"""
    )
    on = await dicts(pool, settings, edges % f"FILTER(?from = {agency}) BIND(?to AS ?other)")
    by = await dicts(pool, settings, edges % f"FILTER(?to = {agency}) BIND(?from AS ?other)")
    if not summary:
        raise NotFoundError(f"no agency {id!r}")
    return AgencyDetail(
        **_agency(summary[0]),
        service_list=_refs(services, "service", "title"),
        systems=_refs(systems, "system", "label"),
        depends_on=_refs(on, "other", "label", "services"),
        depended_on_by=_refs(by, "other", "label", "services"),
    )


_SYSTEMS = (
    PREFIXES
    + """
SELECT ?system ?label ?labelEn ?operator ?operatorLabel ?services WHERE {
  { SELECT ?system (MIN(?fa) AS ?label) (MIN(?en) AS ?labelEn)
           (COUNT(DISTINCT ?service) AS ?services) WHERE {
      ?system a sg:System .
      OPTIONAL { ?system rdfs:label ?fa FILTER(LANG(?fa) = "fa") }
      OPTIONAL { ?system rdfs:label ?en FILTER(LANG(?en) = "en") }
      OPTIONAL { { ?service sg:hasExchange/sg:counterpartSystem ?system }
                 UNION { ?service sg:deliveredThrough ?system } }
    } GROUP BY ?system }
  OPTIONAL { ?system sg:operatedBy ?operator
             OPTIONAL { ?operator rdfs:label ?operatorLabel FILTER(LANG(?operatorLabel) = "fa") } }
} ORDER BY DESC(?services) ?system ?operator"""
)


def _systems(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        item = out.setdefault(
            row["system"],
            {
                "iri": row["system"],
                "label": row["label"],
                "label_en": row["labelEn"],
                "operators": [],
                "services": row["services"] or 0,
            },
        )
        if row["operator"] and all(o.iri != row["operator"] for o in item["operators"]):
            item["operators"].append(Ref(iri=row["operator"], label=row["operatorLabel"]))
    return list(out.values())


@router.get("/systems", response_model=list[SystemSummary], tags=["systems"])
async def list_systems(
    pool: PoolDep,
    settings: SettingsDep,
    q: Annotated[str | None, Query(description="text in the name")] = None,
) -> list[SystemSummary]:
    items = _systems(await dicts(pool, settings, _SYSTEMS))
    return [SystemSummary(**s) for s in items if not q or _matches(q, s["label"], s["label_en"])]


@router.get("/systems/{id:path}", response_model=SystemDetail, tags=["systems"])
async def get_system(id: str, pool: PoolDep, settings: SettingsDep) -> SystemDetail:
    """A system with its operator, the services that consume it and the fields exchanged."""
    system = iri(await _find("system", id, pool, settings))
    summary = _systems(
        await dicts(
            pool,
            settings,
            _SYSTEMS.replace(
                "?system a sg:System .", f"VALUES ?system {{ {system} }} ?system a sg:System ."
            ),
        )
    )
    services = await _rows(
        pool,
        settings,
        f"""
SELECT ?service (MIN(?t) AS ?title) WHERE {{
  {{ ?service sg:hasExchange/sg:counterpartSystem {system} }}
  UNION {{ ?service sg:deliveredThrough {system} }}
  OPTIONAL {{ ?service dct:title ?t }}
}} GROUP BY ?service ORDER BY ?service""",
    )
    fields = await _rows(
        pool,
        settings,
        f"""
SELECT ?field (MIN(?l) AS ?label) (COUNT(DISTINCT ?service) AS ?services) WHERE {{
  ?service sg:hasExchange ?x . ?x sg:counterpartSystem {system} ; sg:exchangesField ?field .
  OPTIONAL {{ ?field rdfs:label ?l FILTER(LANG(?l) = "fa") }}
}} GROUP BY ?field ORDER BY DESC(?services) ?field""",
    )
    via = await _rows(
        pool,
        settings,
        f"""
SELECT ?via (MIN(?l) AS ?label) WHERE {{
  {system} sg:routedVia ?via . OPTIONAL {{ ?via rdfs:label ?l FILTER(LANG(?l) = "fa") }}
}} GROUP BY ?via""",
    )
    if not summary:
        raise NotFoundError(f"no system {id!r}")
    return SystemDetail(
        **summary[0],
        consuming_services=_refs(services, "service", "title"),
        fields=_refs(fields, "field", "label", "services"),
        routed_via=_refs(via, "via", "label"),
    )
