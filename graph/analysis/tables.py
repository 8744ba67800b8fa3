"""Analysis results as Rich tables for people: on a terminal, or full width in a pipe or file.

The sections come from :func:`graph.analysis.formats.sections` (the same data as CSV and
JSON); here only what a table shows differs: the columns a terminal leaves out, the order
of the sections, the line a view prints when it has nothing to show. Written to a pipe or a
file, Rich would wrap at 80 columns and split Persian words and numbers mid-word
(«سازما/ن», ``0.563/189``), so there a row is one line, as wide as its cells.
"""

from __future__ import annotations

from typing import Any

from graph.analysis.formats import sections

__all__ = ["print_view"]

# Columns a terminal table leaves out (they stay in CSV and JSON), and the order in which
# a view's sections are printed when it is not the CSV order.
_TABLE_HIDE = {"impact": {"inquiry", "fields", "targets", "severity"}}
_PRINT_ORDER = {"impact": (2, 3, 4, 0, 1, 5, 6, 7)}
# What a view prints instead of tables when every section is empty.
_EMPTY = {"diff": "no changes: the two versions have the same services and dependencies"}


def print_view(view: str, data: Any, console: Any = None, *, limit: int | None = None) -> None:
    """Print a result as rich tables; the main table is cut at ``limit`` rows, said so."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    wide = not console.is_terminal
    if wide:
        console = Console(file=console.file, width=100_000, no_color=True, highlight=False)
    parts = sections(view, data)
    if view in _EMPTY and not any(rows for _, _, rows in parts):
        console.print(_EMPTY[view], soft_wrap=True)
        return
    hide = _TABLE_HIDE.get(view, set())
    for i in _PRINT_ORDER.get(view, range(len(parts))):
        title, columns, rows = parts[i]
        if not rows and i:
            continue
        shown = rows[:limit] if (limit and i == 0) else rows
        keep = [
            j
            for j, c in enumerate(columns)
            if c != "iri" and not c.endswith("_iri") and not (i == 0 and c in hide)
        ]
        table = Table(title=title, title_justify="left", show_header=any(columns))
        for j in keep:
            table.add_column(columns[j], overflow="fold", no_wrap=wide)
        for row in shown:
            table.add_row(*("" if row[j] is None else str(row[j]) for j in keep))
        console.print(table)
        if len(shown) < len(rows):
            console.print(
                f"... {len(rows) - len(shown)} more rows (use --format csv or json)", soft_wrap=True
            )
