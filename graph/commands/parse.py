"""``servicegraph parse``: card files to canonical JSON, YAML or a summary table."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graph.card import Card
from graph.cli import skipped
from graph.errors import CardError
from graph.readers.convert import Converted, convert_files
from graph.readers.files import card_files


def parse_one(path: Path, converted: Converted | None = None) -> list[Card]:
    """Parse one file (its card, or each card of a bundle); any failure becomes a
    :class:`CardError` naming the file."""
    from graph.parser import parse_cards
    from graph.readers import read_card

    try:
        return parse_cards(read_card(path, converted=converted), path.name)
    except CardError:
        raise
    except Exception as exc:
        raise CardError(str(path), f"cannot parse: {type(exc).__name__}: {exc}") from exc


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
    files = card_files(paths, on_skip=skipped)
    with tempfile.TemporaryDirectory(prefix="servicegraph-convert-") as tmp:
        converted = convert_files(files, Path(tmp))  # legacy Word files: one LibreOffice run
        first: dict[str, Path] = {}  # card key -> the first file of this batch with it
        for path in files:
            read = _emit(path, converted, cards, as_json=as_json, as_yaml=as_yaml)
            failed += read is None
            for card in read or ():
                _note_repeat(path, card, first)
    if cards:
        _summary(cards)
    if failed:
        raise typer.Exit(2)


def _emit(
    path: Path,
    converted: Converted,
    cards: list[tuple[Path, Card]],
    *,
    as_json: bool,
    as_yaml: bool,
) -> list[Card] | None:
    """Parse ``path`` and print its cards (or keep them for the summary); None when it
    failed."""
    try:
        read = parse_one(path, converted)
    except CardError as exc:
        reason = exc.reason if str(path) in str(exc.source) or exc.source == path.name else str(exc)
        typer.echo(f"servicegraph: {path}: {reason}", err=True)
        return None
    for card in read:
        if as_json:
            sys.stdout.write(card.to_json() + "\n")
            sys.stdout.flush()
        elif as_yaml:
            sys.stdout.write("---\n" + card.to_yaml())
        else:
            cards.append((path, card))
    return read


def _note_repeat(path: Path, card: Card, first: dict[str, Path]) -> None:
    """Say so when an earlier file of the batch is the same service (ingest's rule)."""
    from graph.iris import card_key

    key = card_key(card)
    earlier = first.setdefault(key, path)
    if earlier != path:
        typer.echo(
            f"servicegraph: {path}: same service (card key {key}) as {earlier}; "
            "ingest of this batch would load only the first",
            err=True,
        )


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
            card.source or path.name,
            (card.title or "")[:60],
            card.service_id or "",
            card.agency or "",
            str(len(card.internal_exchanges)),
            str(len(card.external_exchanges)),
            str(len(card.processes)),
            str(len(card.warnings)),
        )
    Console().print(table)
