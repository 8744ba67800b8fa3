"""Interactive dependency maps as HTML pages: landscape, focus and impact (``/viz``).

Each page is self-contained and offline (:mod:`viz.page`); ``?lang=fa`` (default, right to
left) or ``?lang=en``. An ``{key}`` is a service identifier (``13091710000``), an IRI, the key
of an IRI (``ref/system/shahkar``) or its last segment, or a name in any spelling.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import StoreDep
from graph.analysis.projection import DependencyGraph
from graph.analysis.sources import cached_dependency_graph
from viz.network import ServiceNetwork
from viz.page import render
from viz.views import MAX_DEPTH, find_node, focus, impact_view, landscape

router = APIRouter(tags=["visualization"])

Kind = Literal["service", "agency", "system", "field"]
LangParam = Annotated[Literal["fa", "en"], Query(description="label language")]
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "font-src data:; img-src data:; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def get_dependency_graph(store: StoreDep) -> DependencyGraph:
    """The projection of the store, rebuilt only after the store changed."""
    return cached_dependency_graph(store)


GraphDep = Annotated[DependencyGraph, Depends(get_dependency_graph)]


def _page(request: Request, net: ServiceNetwork) -> HTMLResponse:
    other = "en" if net.info.lang == "fa" else "fa"
    url = request.url.include_query_params(lang=other)
    html = render(net, toggle_href=f"{url.path}?{url.query}")
    return HTMLResponse(html, headers=PAGE_HEADERS)


@router.get("/viz", response_class=HTMLResponse, summary="Landscape of services")
def viz_landscape(
    request: Request,
    G: GraphDep,
    lang: LangParam = "fa",
    agency: Annotated[list[str], Query(description="only services of these agencies")] = [],  # noqa: B006
    system: Annotated[list[str], Query(description="only services using these systems")] = [],  # noqa: B006
    service_type: Annotated[list[Literal["G2C", "G2B", "G2G"]], Query()] = [],  # noqa: B006
    aggregate: Annotated[
        bool | None, Query(description="agencies and systems only (default: when large)")
    ] = None,
) -> HTMLResponse:
    """Agencies, systems and services, edges styled by inquiry mode; filters narrow it."""
    net = landscape(
        G,
        lang=lang,
        agencies=agency,
        systems=system,
        service_types=service_type,
        aggregate=aggregate,
    )
    return _page(request, net)


@router.get("/viz/focus/{kind}/{key:path}", response_class=HTMLResponse, summary="Neighbourhood")
def viz_focus(
    request: Request,
    G: GraphDep,
    kind: Kind,
    key: str,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH)] = 1,
    lang: LangParam = "fa",
) -> HTMLResponse:
    """One service, agency, system or field and everything within ``depth`` links."""
    return _page(request, focus(G, find_node(G, kind, key), depth=depth, lang=lang))


@router.get("/viz/impact/{kind}/{key:path}", response_class=HTMLResponse, summary="Impact")
def viz_impact(
    request: Request,
    G: GraphDep,
    kind: Kind,
    key: str,
    depth: Annotated[int | None, Query(ge=1)] = None,
    lang: LangParam = "fa",
) -> HTMLResponse:
    """What a change to a system, agency or field breaks, with the paths and totals."""
    return _page(request, impact_view(G, [find_node(G, kind, key)], depth=depth, lang=lang))
