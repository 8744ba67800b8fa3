"""Card uploads: ``POST /cards`` (store), ``DELETE /cards/{id}``, ``POST /validate`` (dry run).

Writes need the bearer token (:func:`api.deps.require_token`). They run in the server
process, one at a time (a lock: the store has a single writer), in FastAPI's thread pool so
the event loop keeps answering; each card graph is replaced in one store transaction, so a
query running meanwhile (in a worker, on its own read-only snapshot) sees the old graph or
the new one. After a write the pool's revision is bumped and workers re-open the store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from pydantic import BaseModel

from api.deps import PoolDep, SettingsDep, StoreDep, WriteAccess
from api.problems import ProblemError
from graph.card import Card
from graph.errors import CardError, NotFoundError
from ontology.namespace import ID

router = APIRouter(tags=["cards"])

CARD_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


class CardReport(BaseModel):
    source: str
    stored: bool
    key: str | None
    service: str | None
    violations: int
    warnings: int
    card: dict[str, Any]
    validation: list[dict[str, Any]]
    unresolved: list[str]
    resolutions: list[dict[str, Any]] = []


class Deleted(BaseModel):
    key: str
    graph: str
    deleted: bool


async def _read_upload(upload: UploadFile, settings: SettingsDep) -> tuple[str, bytes]:
    name = Path(upload.filename or "upload").name
    if not name.lower().endswith(CARD_SUFFIXES):
        raise ProblemError(415, f"{name}: card files must be one of {', '.join(CARD_SUFFIXES)}")
    data = await upload.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise ProblemError(
            413, f"{name}: larger than the upload limit of {settings.max_upload_bytes} bytes"
        )
    return name, data


def _parse(name: str, data: bytes, settings: SettingsDep) -> Card:
    from graph.parser import parse_text
    from graph.readers import read_card_bytes

    text = read_card_bytes(data, name, max_bytes=settings.max_upload_bytes)
    return parse_text(text, name)


Upload = Annotated[UploadFile, File(description="a card: .txt, .html, .docx or born-digital .pdf")]


@router.post("/cards", response_model=CardReport, status_code=201)
async def post_card(
    request: Request,
    file: Upload,
    _: WriteAccess,
    store: StoreDep,
    pool: PoolDep,
    settings: SettingsDep,
) -> CardReport:
    """Parse, validate and store a card; the answer has the canonical card, the SHACL
    report and the names that did not resolve to the reference register."""
    name, data = await _read_upload(file, settings)
    from starlette.concurrency import run_in_threadpool

    def write() -> Any:
        from graph.ingest import ingest_card

        card = _parse(name, data, settings)
        with request.app.state.write_lock:
            outcome = ingest_card(card, data, store, data_dir=_data_dir(settings))
            pool.revision = store.revision()
        return card, outcome

    card, outcome = await run_in_threadpool(write)
    if outcome.error and not outcome.loaded:
        raise CardError(name, outcome.error)
    return CardReport(
        source=name,
        stored=outcome.loaded,
        key=outcome.key,
        service=outcome.service,
        violations=outcome.violations,
        warnings=outcome.warnings,
        card=card.to_dict(),
        validation=[r.to_dict() for r in outcome.results],
        unresolved=outcome.unresolved,
    )


@router.delete("/cards/{id}", response_model=Deleted)
def delete_card(
    id: str,
    request: Request,
    _: WriteAccess,
    store: StoreDep,
    pool: PoolDep,
) -> Deleted:
    """Remove a card's graph (``id`` is the card key, e.g. the service identifier)."""
    if "/" in id or not id.strip():
        raise ProblemError(400, f"{id!r} is not a card key")
    graph = ID[f"card/{id}"]
    with request.app.state.write_lock:
        deleted = store.delete_graph(graph)
        pool.revision = store.revision()
    if not deleted:
        raise NotFoundError(f"no card with key {id!r}")
    return Deleted(key=id, graph=str(graph), deleted=True)


@router.post("/validate", response_model=CardReport)
async def validate_card(file: Upload, settings: SettingsDep) -> CardReport:
    """Parse and validate a card without storing it (no token needed: nothing is written)."""
    name, data = await _read_upload(file, settings)
    from starlette.concurrency import run_in_threadpool

    def check() -> tuple[Card, Any, Any]:
        from graph.build import build_card
        from graph.resolve import Resolver
        from shapes import validate

        card = _parse(name, data, settings)
        built = build_card(card, Resolver.default(), raw=data)
        return card, built, validate(built.graph)

    card, built, report = await run_in_threadpool(check)
    return CardReport(
        source=name,
        stored=False,
        key=built.key,
        service=str(built.service),
        violations=report.violations,
        warnings=report.warnings,
        card=card.to_dict(),
        validation=[r.to_dict() for r in report.results],
        unresolved=list(dict.fromkeys(n for n, _ in built.unresolved)),
        resolutions=[
            {"name": n, "kind": r.kind, "status": r.status, "iri": str(r.iri), "label": r.label}
            for n, r in built.resolutions
        ],
    )


def _data_dir(settings: SettingsDep) -> Path | None:
    return None if settings.store or settings.query_url else settings.data_dir
