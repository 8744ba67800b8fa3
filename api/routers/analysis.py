"""Impact analysis and dependency analytics over HTTP.

The same functions and renderings as the CLI (``graph.analysis``): results are JSON (the
CLI's ``--format json`` object) or CSV. The projection is built from the server's store on
first use and rebuilt after an ingest changes ``store.revision()``. An ``{id}`` is an IRI,
a slug (``shahkar``) or any name or alias, in any spelling (``graph.analysis.targets``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.deps import StoreDep
from graph.analysis import formats
from graph.analysis.formats import GraphFormat
from graph.analysis.projection import DependencyGraph
from graph.analysis.sources import cached_dependency_graph

router = APIRouter(tags=["analysis"])


TargetKind = StrEnum("TargetKind", ["system", "agency", "field"])
OutputFormat = StrEnum("OutputFormat", ["json", "csv"])


def get_graph(store: StoreDep) -> DependencyGraph:
    """The store's dependency graph (cached per store revision; read-only)."""
    return cached_dependency_graph(store)


GraphDep = Annotated[DependencyGraph, Depends(get_graph)]
FormatQ = Annotated[OutputFormat, Query(description="json or csv")]
OrgQ = Annotated[bool, Query(description="also follow organisational containment (parent agency)")]
DepthQ = Annotated[int | None, Query(ge=1, le=100, description="hops of transitivity")]


def _render(view: str, data: Any, fmt: OutputFormat, name: str) -> Response:
    if fmt is OutputFormat.csv:
        return Response(
            formats.to_csv(view, data).encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return Response(formats.to_json(data).encode("utf-8"), media_type="application/json")


@router.get("/impact/{kind}/{id:path}", summary="What breaks if one system/agency/field changes")
def impact_one(
    dg: GraphDep,
    kind: TargetKind,
    id: str,
    depth: DepthQ = None,
    format: FormatQ = OutputFormat.json,
    include_org: OrgQ = False,
) -> Response:
    from graph.analysis.impact import impact
    from graph.analysis.targets import resolve_target

    target = resolve_target(dg, id, kind.value)
    result = impact(dg, [target], depth=depth, include_org=include_org)
    return _render("impact", result, format, "impact")


@router.get("/impact", summary="What-if: several targets changing at once")
def impact_many(
    dg: GraphDep,
    target: Annotated[list[str], Query(min_length=1, max_length=50, description="names/IRIs")],
    depth: DepthQ = None,
    format: FormatQ = OutputFormat.json,
    include_org: OrgQ = False,
) -> Response:
    from graph.analysis.impact import impact
    from graph.analysis.targets import resolve_targets

    nodes = resolve_targets(dg, target)
    result = impact(dg, nodes, depth=depth, include_org=include_org)
    return _render("impact", result, format, "impact")


@router.get("/hubs", summary="Critical systems and agencies")
def hubs(
    dg: GraphDep,
    top: Annotated[int, Query(ge=1, le=10_000)] = 20,
    format: FormatQ = OutputFormat.json,
    include_org: OrgQ = False,
) -> Response:
    from graph.analysis.criticality import hubs as rank

    return _render("hubs", rank(dg, top, include_org=include_org), format, "hubs")


@router.get("/matrix", summary="Agency-to-agency dependency matrix")
def matrix(dg: GraphDep, format: FormatQ = OutputFormat.json) -> Response:
    from graph.analysis.matrix import dependency_matrix

    return _render("matrix", dependency_matrix(dg), format, "matrix")


@router.get("/dataflow/{field:path}", summary="Origins and receivers of one data field")
def dataflow(dg: GraphDep, field: str, format: FormatQ = OutputFormat.json) -> Response:
    from graph.analysis.dataflow import dataflow as flow
    from graph.analysis.targets import resolve_target

    return _render("dataflow", flow(dg, resolve_target(dg, field, "field")), format, "dataflow")


@router.get("/maturity", summary="Digital maturity per agency")
def maturity(dg: GraphDep, format: FormatQ = OutputFormat.json) -> Response:
    from graph.analysis.maturity import maturity as measure

    return _render("maturity", measure(dg), format, "maturity")


@router.get("/export-graph", summary="The dependency graph as GraphML, GEXF or JSON")
def export_graph(dg: GraphDep, format: GraphFormat = GraphFormat.graphml) -> Response:
    body = formats.export_graph(dg, format.value)
    return Response(
        body,
        media_type=formats.EXPORT_FORMATS[format.value],
        headers={"Content-Disposition": f'attachment; filename="servicegraph.{format.value}"'},
    )
