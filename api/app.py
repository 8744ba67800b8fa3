"""The FastAPI application factory: SPARQL endpoint, REST API, query catalogue, home page.

``create_app(settings)`` wires everything; run it with ``servicegraph serve`` (uvicorn).
To add a resource, write ``api/routers/<name>.py`` with a ``router``, import it here and
add it to :data:`ROUTERS`.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api import problems
from api.headers import SecurityHeaders
from api.limits import BodyLimit
from api.pool import QueryPool
from api.ratelimit import RateLimit
from api.routers import agencies, analysis, cards, queries, services, sparql, systems, viz
from graph.settings import Settings, get_settings
from graph.store import open_store

# Every router, in the order the OpenAPI page lists them.
ROUTERS: tuple[APIRouter, ...] = (
    sparql.router,
    queries.router,
    services.router,
    agencies.router,
    systems.router,
    cards.router,
    analysis.router,  # /impact, /hubs, /matrix, /dataflow, /maturity, /export-graph
    viz.router,  # /viz, /viz/focus/..., /viz/impact/... (interactive maps)
)

MULTIPART_OVERHEAD = 64 * 1024


def create_app(settings: Settings | None = None) -> FastAPI:
    """A ready-to-serve application; the store and query workers open on startup."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Without a token nothing is written, so the store opens read-only and several
        # servers (or a CLI ingest elsewhere) may share the data directory.
        store = open_store(settings, read_only=not settings.token)
        app.state.store = store
        app.state.write_lock = threading.Lock()
        pool = QueryPool(settings)
        pool.revision = store.revision()
        app.state.pool = pool
        try:
            await pool.start()
            yield
        finally:
            await pool.close()
            store.close()

    app = FastAPI(
        title="servicegraph",
        summary="Iranian e-government service identity cards as a dependency graph",
        description=(
            "SPARQL 1.1 Protocol endpoint at `/sparql` (read-only) and a REST API over "
            "services, agencies, systems and cards. Writes need `Authorization: Bearer`."
        ),
        version=_version(),
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.validate_limit = RateLimit(settings.validate_per_minute)
    problems.install(app)

    def limit_for(path: str) -> int:
        if path in ("/cards", "/validate"):
            return settings.max_upload_bytes + MULTIPART_OVERHEAD
        # a form-encoded query may be three times its text (percent-encoding)
        return 3 * settings.max_query_bytes + 1024

    app.add_middleware(BodyLimit, limit_for=limit_for)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(packages=[("api", "static")]), name="static")
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> HTMLResponse:
        return HTMLResponse(resources.files("api").joinpath("static/home.html").read_text("utf-8"))

    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("servicegraph")
    except PackageNotFoundError:
        return "0"
