"""``/agencies``: every agency, and one with its services, systems and dependencies.

An ``{id}`` is the key of an IRI (``ref/agency/mefa``, or just ``mefa``) or a name in any
spelling (:func:`api.resources.find`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from rdflib import Literal, URIRef

from api.deps import PoolDep, SettingsDep
from api.resources import NameQuery, Ref, find, matches, refs, rows
from graph.errors import NotFoundError

router = APIRouter(tags=["agencies"])


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


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "iri": row["agency"],
        "label": row["label"],
        "label_en": row["labelEn"],
        "parent": row["parent"],
        "services": row["services"] or 0,
    }


@router.get("/agencies", response_model=list[AgencySummary])
async def list_agencies(
    pool: PoolDep, settings: SettingsDep, q: NameQuery = None
) -> list[AgencySummary]:
    found = await rows(pool, settings, "agencies")
    return [
        AgencySummary(**_summary(r)) for r in found if not q or matches(q, r["label"], r["labelEn"])
    ]


@router.get("/agencies/{id:path}", response_model=AgencyDetail)
async def get_agency(id: str, pool: PoolDep, settings: SettingsDep) -> AgencyDetail:
    """An agency with its services, its systems, whom it depends on and who depends on it."""
    agency = {"agency": [URIRef(await find("agency", id, pool, settings))]}
    summary = await rows(pool, settings, "agencies", agency)
    if not summary:
        raise NotFoundError(f"no agency {id!r}")
    services = await rows(pool, settings, "agency-services", agency)
    systems = await rows(pool, settings, "agency-systems", agency)
    on = await rows(pool, settings, "agency-links", {**agency, "outward": [Literal(True)]})
    by = await rows(pool, settings, "agency-links", {**agency, "outward": [Literal(False)]})
    return AgencyDetail(
        **_summary(summary[0]),
        service_list=refs(services, "service", "title"),
        systems=refs(systems, "system", "label"),
        depends_on=refs(on, "other", "label", "services"),
        depended_on_by=refs(by, "other", "label", "services"),
    )
