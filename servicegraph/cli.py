"""Every ``servicegraph`` subcommand, listed once, in the order ``--help`` shows them.

Each command is a plain function that lives beside what it drives: the card, store and
analysis commands in ``graph/commands/``, ``serve`` in ``api/commands.py``, ``viz`` in
``viz/commands.py``. This module is the only place that names them all, so adding a command
is one line in :data:`COMMANDS` and no module registers itself by being imported.

>>> [name for name, _ in COMMANDS][:3]
['impact', 'hubs', 'matrix']
>>> sorted(command.name for command in app.registered_commands) == sorted(dict(COMMANDS))
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from api.commands import serve_command
from graph.cli import command_line, run
from graph.commands import analysis, ingest, parse, query, synth
from viz.commands import viz_command

COMMANDS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("impact", analysis.impact_command),
    ("hubs", analysis.hubs_command),
    ("matrix", analysis.matrix_command),
    ("dataflow", analysis.dataflow_command),
    ("maturity", analysis.maturity_command),
    ("diff", analysis.diff_command),
    ("export-graph", analysis.export_graph_command),
    ("ingest", ingest.ingest_command),
    ("validate", ingest.validate_command),
    ("resolve-report", ingest.resolve_report_command),
    ("export", ingest.export_command),
    ("parse", parse.parse),
    ("query", query.query_command),
    ("serve", serve_command),
    ("synth", synth.synth),
    ("viz", viz_command),
)


def _compose() -> typer.Typer:
    app = command_line()
    for name, function in COMMANDS:
        app.command(name)(function)
    return app


app = _compose()


def main() -> None:
    """Console entry point: user errors become one line on stderr and exit code 2."""
    run(app)
