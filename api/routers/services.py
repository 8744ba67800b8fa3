"""``/services``: services filtered and paged, and one service's card as JSON or RDF.

Filters, order and paging are done in SPARQL (``services.rq``), in the worker pool under the
time and size limits. Persian search uses :func:`graph.text.match_key`, so any spelling of
a name finds it. An ``{id}`` is a service identifier (``13091710000``) or the key of its
IRI (``13091710000-13091710100``).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import Response
from pydantic import BaseModel
from rdflib import Literal, URIRef
from rdflib.term import Node

from api.deps import PoolDep, SettingsDep, StoreDep
from api.negotiation import GRAPH_TYPES, parse_accept
from api.resources import key_of, matches, named, rows
from graph.errors import NotFoundError
from graph.sparql.template import IRI, Page
from graph.store.results import RDF_PARSERS
from ontology.namespace import ID, SCHEMES, concept

router = APIRouter(tags=["services"])

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


class ServiceList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ServiceSummary]


class ServiceDetail(BaseModel):
    iri: str
    key: str
    graph: str
    source_file: str | None
    violations: int | None
    validation_messages: list[str]
    card: dict[str, Any]


def _summaries(found: list[dict[str, Any]]) -> list[ServiceSummary]:
    """One summary per service (the query has a row per agency, type and system)."""
    grouped: dict[str, dict[str, Any]] = {}
    for row in found:
        if not row["service"]:
            continue  # no service passes: the one row only carries the total
        item = grouped.setdefault(
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
    out = []
    for svc, d in sorted(grouped.items()):
        agency_iri, agency_label = next(iter(d["agencies"].items()), (None, None))
        out.append(
            ServiceSummary(
                iri=svc,
                key=key_of(svc, str(ID["service/"])),
                service_id=d["id"],
                title=d["title"],
                agency=agency_iri,
                agency_label=agency_label,
                service_types=sorted(d["types"]),
                systems=sorted(d["systems"]),
            )
        )
    return out


@router.get("/services", response_model=ServiceList)
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
    values: dict[str, list[Node]] = {}
    if agency:
        values["agency"] = list(await named("agency", agency, pool, settings))
    if system:
        values["system"] = list(await named("system", system, pool, settings))
    if service_type:
        code = service_type.upper()
        values["type"] = [concept("service-type", code)] if code in SCHEMES["service-type"] else []
    if q:
        titles = await rows(pool, settings, "service-titles")
        hits = {r["service"] for r in titles if matches(q, r["label"])}
        values["services"] = [URIRef(s) for s in sorted(hits)]
    found = await rows(pool, settings, "services", values, Page(limit, offset))
    total = found[0]["total"] if found else 0
    return ServiceList(total=total, limit=limit, offset=offset, items=_summaries(found))


@router.get(
    "/services/{id}",
    response_model=ServiceDetail,
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
    by_key = ID[f"service/{id}"]
    keys = [by_key] if IRI.match(str(by_key)) and "/" not in id else []
    found = await rows(pool, settings, "service", {"id": [Literal(id)], "service": keys})
    if not found:
        raise NotFoundError(f"no service with identifier or key {id!r}")
    first = found[0]
    for media, _ in sorted(parse_accept(accept), key=lambda r: -r[1]):
        if media in _RDF_FORMATS:
            graph = store.get_graph(URIRef(first["card"]))
            body = graph.serialize(format=_RDF_FORMATS[media], encoding="utf-8")
            return Response(body, media_type=f"{media}; charset=utf-8")
        if media in ("application/json", "*/*"):
            break
    return ServiceDetail(
        iri=first["service"],
        key=key_of(first["service"], str(ID["service/"])),
        graph=first["card"],
        source_file=first["file"],
        violations=first["violations"],
        validation_messages=sorted({r["message"] for r in found if r["message"]}),
        card=json.loads(first["json"]),
    )
