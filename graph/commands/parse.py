"""``servicegraph parse``: card files to canonical JSON, YAML or a summary table."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graph.card import Card
from graph.cli import app
from graph.errors import CardError

CARD_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; folders become their card files (txt, html, htm, docx), sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.suffix.lower() in CARD_SUFFIXES)
        else:
            out.append(path)
    return out


def parse_one(path: Path) -> Card:
    """Parse one file; any failure becomes a :class:`CardError` naming the file."""
    from graph.parser import parse_file

    try:
        return parse_file(path)
    except CardError:
        raise
    except Exception as exc:
        raise CardError(str(path), f"cannot parse: {type(exc).__name__}: {exc}") from exc


@app.command("parse")
def parse(
    paths: Annotated[list[Path], typer.Argument(help="Card files or folders of cards.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per card per line.")
    ] = False,
    as_yaml: Annotated[bool, typer.Option("--yaml", help="YAML documents for review.")] = False,
) -> None:
    """Parse service identity cards into the canonical card (CARD_SCHEMA.md)."""
    failed = 0
    cards: list[tuple[Path, Card]] = []
    for path in expand(paths):
        try:
            card = parse_one(path)
        except CardError as exc:
            failed += 1
            reason = (
                exc.reason if str(path) in str(exc.source) or exc.source == path.name else str(exc)
            )
            typer.echo(f"servicegraph: {path}: {reason}", err=True)
            continue
        if as_json:
            sys.stdout.write(card.to_json() + "\n")
            sys.stdout.flush()
        elif as_yaml:
            sys.stdout.write("---\n" + card.to_yaml())
        else:
            cards.append((path, card))
    if cards:
        _summary(cards)
    if failed:
        raise typer.Exit(2)


def _summary(cards: list[tuple[Path, Card]]) -> None:
    table = Table(title="Parsed cards")
    for column in (
        "file",
        "title",
        "service_id",
        "agency",
        "#internal",
        "#external",
        "#processes",
        "warnings",
    ):
        table.add_column(column, overflow="fold")
    for path, card in cards:
        table.add_row(
            path.name,
            (card.title or "")[:60],
            card.service_id or "",
            card.agency or "",
            str(len(card.internal_exchanges)),
            str(len(card.external_exchanges)),
            str(len(card.processes)),
            str(len(card.warnings)),
        )
    Console().print(table)
