"""Subcommands ``ingest``, ``validate``, ``resolve-report`` and ``export``.

They are thin: the work is in :mod:`graph.ingest`, :mod:`shapes` and :mod:`graph.export`;
here are the progress bar, the tables and the exit codes (2 when a card failed to load,
1 when whole-graph validation finds violations).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph.cli import fail, settings_of, skipped
from graph.store import opened_store

_err = Console(stderr=True)


ReportFormat = StrEnum("ReportFormat", ["text", "json", "ttl"])
ListFormat = StrEnum("ListFormat", ["text", "json"])
ExportFormat = StrEnum("ExportFormat", ["ttl", "trig", "nq", "nt", "jsonld", "xml"])


def ingest_command(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Card files or directories of them.")],
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse cards with SHACL violations.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Worker processes (default: the CPU count)."),
    ] = None,
) -> None:
    """Parse, resolve, validate and load cards into the store (one named graph each)."""
    from graph.ingest import ingest
    from graph.readers.files import card_files

    settings = settings_of(ctx)
    files = card_files(paths, on_skip=skipped)
    if not files:
        raise fail("no card files found in " + ", ".join(map(str, paths)))
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with (
        opened_store(settings) as store,
        Progress(*columns, TimeElapsedColumn(), console=_err, transient=True) as bar,
    ):
        task = bar.add_task("ingesting", total=len(files))
        report = ingest(
            files,
            store,
            data_dir=settings.data_dir if not settings.store else None,
            strict=strict,
            progress=lambda path, _outcome: bar.update(task, advance=1, description=path.name),
            jobs=jobs,
        )
    for outcome in report.failed:
        _err.print(f"servicegraph: {outcome.error}", markup=False, highlight=False, soft_wrap=True)
    table = Table(title="ingest", show_header=False)
    for label, value in (
        ("cards loaded", len(report.loaded)),
        ("cards failed", len(report.failed)),
        ("violations", report.violations),
        ("warnings", report.warnings),
        ("unresolved names", len(report.unresolved)),
    ):
        table.add_row(label, str(value))
    Console().print(table)
    if report.failed:
        raise typer.Exit(2)


def validate_command(
    ctx: typer.Context,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Output format.")] = (
        ReportFormat.text
    ),
) -> None:
    """Validate the whole graph in the store against the SHACL shapes (exit 1 on violations).

    It checks what was written, published or not, so cards an interrupted ingest stored
    are checked too."""
    from graph.ingest import validate_store

    with opened_store(settings_of(ctx), read_only=True, unpublished=True) as store:
        report = validate_store(store)
    if fmt is ReportFormat.json:
        body = {
            "conforms": report.conforms,
            "violations": report.violations,
            "warnings": report.warnings,
            "results": [r.to_dict() for r in report.results],
        }
        typer.echo(json.dumps(body, ensure_ascii=False, indent=2))
    elif fmt is ReportFormat.ttl:
        typer.echo(report.graph.serialize(format="turtle") if report.graph is not None else "")
    else:
        for result in report.results:
            typer.echo(result.line())
        typer.echo(f"{report.violations} violation(s), {report.warnings} warning(s)")
    if not report.conforms:
        raise typer.Exit(1)


def resolve_report_command(
    ctx: typer.Context,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = (ListFormat.text),
) -> None:
    """List names that were resolved fuzzily or not at all, with the cards they came from."""
    from graph.ingest import resolution_report

    with opened_store(settings_of(ctx), read_only=True) as store:
        entries = resolution_report(store)
    if fmt is ListFormat.json:
        typer.echo(json.dumps(entries, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"names not matched exactly to the register ({len(entries)})")
    for column in ("status", "kind", "name as written", "resolved to", "cards"):
        table.add_column(column)
    for e in entries:
        table.add_row(e["status"], e["kind"], e["name"], e["label"], ", ".join(e["cards"]))
    Console().print(table)


def export_command(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="RDF format.")] = ExportFormat.ttl,
    profile: Annotated[
        str | None, typer.Option("--profile", help="A profile view instead of the dump: cpsv-ap.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Dump the store (TriG/N-Quads keep one graph per card) or its CPSV-AP 3.2.0 view."""
    from graph.export import export

    with opened_store(settings_of(ctx), read_only=True) as store:
        body = export(store, fmt.value, profile=profile)
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    else:
        output.write_bytes(body)
