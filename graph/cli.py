"""The ``servicegraph`` command's ground: global options and the helpers every command uses.

Global options (``--data-dir``, ``--store`` ...) become a :class:`~graph.settings.Settings`
on the Typer context, so every subcommand reads its configuration the same way. The
commands themselves are plain functions beside what they drive (``graph/commands/*``,
``api/commands.py``, ``viz/commands.py``); :mod:`servicegraph.cli`, above every package,
lists them all on one :func:`command_line`, so no module registers itself on import and
nothing here imports a floor above ``graph``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from graph.errors import ServicegraphError
from graph.settings import Settings, get_settings


def command_line() -> typer.Typer:
    """The ``servicegraph`` Typer app with its global options and no subcommand yet."""
    app = typer.Typer(
        name="servicegraph",
        help="Service identity cards as a validated dependency graph of Iranian e-government.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    app.callback()(global_options)
    return app


def global_options(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(envvar="SERVICEGRAPH_DATA_DIR", help="Embedded store directory."),
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(envvar="SERVICEGRAPH_STORE", help="Remote SPARQL store URL."),
    ] = None,
    query_url: Annotated[str | None, typer.Option(help="Remote SPARQL query endpoint.")] = None,
    update_url: Annotated[str | None, typer.Option(help="Remote SPARQL update endpoint.")] = None,
    gsp_url: Annotated[str | None, typer.Option(help="Remote Graph Store Protocol URL.")] = None,
) -> None:
    """Service identity cards as a validated dependency graph."""
    ctx.obj = get_settings(
        data_dir=data_dir,
        store=store,
        query_url=query_url,
        update_url=update_url,
        gsp_url=gsp_url,
    )


def settings_of(ctx: typer.Context) -> Settings:
    """The settings the global options produced (defaults when called without them)."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Settings) else get_settings()


def skipped(path: Path, reason: str) -> None:
    """Say on stderr that a folder expansion left ``path`` out, and why."""
    typer.echo(f"servicegraph: skipped {path}: {reason}", err=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``servicegraph: message`` to stderr and return the Exit to raise."""
    typer.echo(f"servicegraph: {message}", err=True)
    return typer.Exit(code)


def run(app: typer.Typer) -> None:
    """Run ``app`` as the console entry point: user errors become one line on stderr."""
    try:
        app()
    except ServicegraphError as exc:
        typer.echo(f"servicegraph: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("servicegraph: interrupted", err=True)
        sys.exit(130)
    except OSError as exc:  # a full disk, a vanished folder: the system's reason, one line
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"servicegraph: {where}{exc.strerror or exc}", err=True)
        sys.exit(2)
