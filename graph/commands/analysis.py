"""Subcommands: impact, hubs, matrix, dataflow, maturity, diff, export-graph.

All of them read the dependency-graph projection of the store (``graph.analysis``) and
print a rich table, JSON or CSV (``--format``); the renderings are the same ones the API
serves. Targets are given by IRI, slug or any name or alias (``graph.analysis.targets``).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from graph.analysis.formats import GraphFormat
from graph.cli import settings_of

Format = StrEnum("Format", ["table", "json", "csv"])
Kind = StrEnum("Kind", ["system", "agency", "field", "service"])


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OrgOpt = Annotated[
    bool,
    typer.Option(
        "--include-org",
        help="Also follow organisational containment (parent agency), not only data "
        "dependencies: a ministry's change then reaches its bodies' services.",
    ),
]
LimitOpt = Annotated[
    int, typer.Option(min=1, help="Rows of the main table shown with --format table.")
]


def _graph(ctx: typer.Context) -> Any:
    """The projection of the configured store (read-only)."""
    from graph.analysis.sources import stored_dependency_graph

    return stored_dependency_graph(settings_of(ctx))


def _emit(view: str, data: Any, fmt: Format, limit: int | None = None) -> None:
    from graph.analysis.formats import to_csv, to_json
    from graph.analysis.tables import print_view

    if fmt is Format.json:
        typer.echo(to_json(data))
    elif fmt is Format.csv:
        sys.stdout.write(to_csv(view, data))
    else:
        print_view(view, data, limit=limit)


def impact_command(
    ctx: typer.Context,
    targets: Annotated[
        list[str], typer.Argument(help="Systems, agencies or fields: IRI, slug or any name.")
    ],
    depth: Annotated[
        int | None, typer.Option(min=1, help="Hops of transitivity (1 = direct only).")
    ] = None,
    kind: Annotated[Kind | None, typer.Option(help="Only match targets of this kind.")] = None,
    fmt: FormatOpt = Format.table,
    limit: LimitOpt = 100,
    include_org: OrgOpt = False,
) -> None:
    """What breaks, where and for how many people if TARGET... change or go down."""
    from graph.analysis.impact import impact
    from graph.analysis.targets import resolve_targets

    dg = _graph(ctx)
    nodes = resolve_targets(dg, targets, kind.value if kind else None)
    _emit("impact", impact(dg, nodes, depth=depth, include_org=include_org), fmt, limit)


def hubs_command(
    ctx: typer.Context,
    top: Annotated[int, typer.Option(min=1, help="How many systems and agencies.")] = 20,
    fmt: FormatOpt = Format.table,
    include_org: OrgOpt = False,
) -> None:
    """Critical systems and agencies: reach, recipients, betweenness, cut points."""
    from graph.analysis.criticality import hubs

    dg = _graph(ctx)
    _emit("hubs", hubs(dg, top, include_org=include_org), fmt)


def matrix_command(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """Agency-to-agency dependency matrix: who inquires whom, services and fields."""
    from graph.analysis.matrix import dependency_matrix

    dg = _graph(ctx)
    _emit("matrix", dependency_matrix(dg), fmt)


def dataflow_command(
    ctx: typer.Context,
    field: Annotated[str, typer.Argument(help="An exchanged field: IRI, slug or any name.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """Where a data field comes from and every service that receives it."""
    from graph.analysis.dataflow import dataflow
    from graph.analysis.targets import resolve_target

    dg = _graph(ctx)
    _emit("dataflow", dataflow(dg, resolve_target(dg, field, "field")), fmt)


def maturity_command(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """Digital maturity per agency: electronic stages, in-person visits, paper inquiries."""
    from graph.analysis.maturity import maturity

    dg = _graph(ctx)
    _emit("maturity", maturity(dg), fmt)


def diff_command(
    old: Annotated[Path, typer.Argument(help="Old data directory or .ttl/.trig/.nq/.nt file.")],
    new: Annotated[Path, typer.Argument(help="New data directory or .ttl/.trig/.nq/.nt file.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """Added, removed and changed dependencies between two versions, with their reach."""
    from graph.analysis.diff import diff_graphs, load_graph

    _emit("diff", diff_graphs(load_graph(old), load_graph(new)), fmt)


def export_graph_command(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write ('-': stdout).")],
    fmt: Annotated[GraphFormat, typer.Option("--format", "-f")] = GraphFormat.graphml,
) -> None:
    """Write the dependency graph as GraphML, GEXF or node-link JSON (Gephi, yEd, D3)."""
    from graph.analysis.formats import export_graph

    dg = _graph(ctx)
    body = export_graph(dg, fmt.value)
    if str(output) == "-":
        sys.stdout.buffer.write(body)
        return
    try:
        output.write_bytes(body)
    except OSError as exc:
        from graph.errors import ServicegraphError

        raise ServicegraphError(f"{output}: cannot write: {exc.strerror or exc}") from None
    typer.echo(
        f"wrote {output} ({dg.number_of_nodes()} nodes, {dg.number_of_edges()} edges)", err=True
    )
