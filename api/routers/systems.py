"""``/systems``: every system, and one with its consumers, fields and routes.

An ``{id}`` is the key of an IRI (``ref/system/shahkar``, or just ``shahkar``) or a name in
any spelling (:func:`api.resources.find`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from rdflib import URIRef

from api.deps import PoolDep, SettingsDep
from api.resources import NameQuery, Ref, find, matches, refs, rows
from graph.errors import NotFoundError

router = APIRouter(tags=["systems"])


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


def _summaries(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One summary per system (the query has a row per operator)."""
    out: dict[str, dict[str, Any]] = {}
    for row in found:
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


@router.get("/systems", response_model=list[SystemSummary])
async def list_systems(
    pool: PoolDep, settings: SettingsDep, q: NameQuery = None
) -> list[SystemSummary]:
    items = _summaries(await rows(pool, settings, "systems"))
    return [SystemSummary(**s) for s in items if not q or matches(q, s["label"], s["label_en"])]


@router.get("/systems/{id:path}", response_model=SystemDetail)
async def get_system(id: str, pool: PoolDep, settings: SettingsDep) -> SystemDetail:
    """A system with its operator, the services that consume it and the fields exchanged."""
    system = {"system": [URIRef(await find("system", id, pool, settings))]}
    summary = _summaries(await rows(pool, settings, "systems", system))
    if not summary:
        raise NotFoundError(f"no system {id!r}")
    services = await rows(pool, settings, "system-services", system)
    fields = await rows(pool, settings, "system-fields", system)
    via = await rows(pool, settings, "system-routes", system)
    return SystemDetail(
        **summary[0],
        consuming_services=refs(services, "service", "title"),
        fields=refs(fields, "field", "label", "services"),
        routed_via=refs(via, "via", "label"),
    )
