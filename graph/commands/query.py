"""``servicegraph query``: run a catalogue query, a .rq file or inline SPARQL on the store.

Catalogue queries live in ``graph/sparql/queries`` (``servicegraph query --list``); every row is
printed unless ``--limit``/``--offset`` ask for one page. Parameters are given as
``--param name=value`` (a name is matched against the graph's labels with
``graph.text.match_key``, so any spelling works). The same checks as the HTTP endpoint
apply: read-only, no SERVICE, FROM only for the store's graphs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from graph.cli import fail, settings_of


def query_command(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Catalogue query name.")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="A .rq file to run.")] = None,
    sparql: Annotated[str | None, typer.Option("--sparql", help="SPARQL text to run.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE for a catalogue query.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    list_: Annotated[bool, typer.Option("--list", help="List the catalogue queries.")] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Catalogue query: rows of one page.")
    ] = None,
    offset: Annotated[
        int, typer.Option("--offset", min=0, help="Catalogue query: rows skipped (with --limit).")
    ] = 0,
) -> None:
    """Run a SPARQL query (catalogue NAME, --file or --sparql) and print the rows."""
    from graph.sparql import catalogue
    from graph.sparql.guard import check_query
    from graph.store import open_store

    if list_:
        for q in catalogue.catalogue().values():
            params = " ".join(f"--param {p.name}=…" for p in q.params)
            typer.echo(f"{q.name}\t{q.title}" + (f"  [{params}]" if params else ""))
        return
    if fmt not in ("table", "json", "csv"):
        raise fail(f"--format {fmt!r}: use table, json or csv")
    if sum(x is not None for x in (name, file, sparql)) != 1:
        raise fail("give exactly one of NAME, --file F.rq or --sparql 'QUERY'")
    if (limit is not None or offset) and name is None:
        raise fail("--limit and --offset page a catalogue query (NAME); put LIMIT in your SPARQL")
    if offset and limit is None:
        raise fail("--offset needs --limit")
    settings = settings_of(ctx)
    store = open_store(settings, read_only=True)
    try:
        if name is not None:
            query = catalogue.load(name)
            given: dict[str, list[str]] = {}
            for item in param or []:
                key, sep, value = item.partition("=")
                if not sep:
                    raise fail(f"--param {item!r}: expected NAME=VALUE")
                given.setdefault(key.strip(), []).append(value)
            candidates = {
                kind: store.query(catalogue.candidates_query(kind)).rows
                for kind in catalogue.kinds_to_read(query, given)
            }
            page = catalogue.Page(limit, offset) if limit else None
            text = catalogue.bind(query, given, candidates, page)
        elif file is not None:
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise fail(f"{file}: cannot read: {exc}") from None
        else:
            text = sparql or ""
        names = {str(g) for g in store.graph_names()}
        checked = check_query(text, names)
        result = store.query(
            checked.text, timeout=settings.query_timeout, max_results=settings.max_results
        )
    finally:
        store.close()
    _print(result, fmt)
    if result.truncated:
        typer.echo(f"servicegraph: result truncated at {settings.max_results} rows", err=True)


def _print(result: object, fmt: str) -> None:
    from graph.sparql.values import plain

    if result.kind == "ask":
        typer.echo(
            json.dumps({"boolean": result.boolean})
            if fmt == "json"
            else str(result.boolean).lower()
        )
        return
    if result.kind == "graph":
        typer.echo(result.graph.serialize(format="turtle"))
        return
    rows = [[plain(v) for v in row] for row in result.rows]
    if fmt == "json":
        data = [dict(zip(result.variables, row, strict=True)) for row in rows]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        from graph.analysis.formats import csv_text

        sys.stdout.write(csv_text(result.variables, rows))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*result.variables, show_lines=False)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        Console().print(table)
        typer.echo(f"{len(rows)} rows")
