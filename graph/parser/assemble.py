"""Putting the parts together: one card text in, one canonical :class:`Card` out."""

from __future__ import annotations

from collections.abc import Sequence

from graph.card import Card
from graph.errors import CardError
from graph.parser.bundle import card_starts
from graph.parser.document import Document, mirrored, split_document, split_lines, turn_back
from graph.parser.exchanges import read_exchanges
from graph.parser.labels import forget
from graph.parser.licenses import license_exchanges, read_licenses
from graph.parser.processes import read_filler, read_processes
from graph.parser.sections import read_fields
from graph.parser.stages import read_stages

MAX_CHARS = 6_000_000
MAX_CARDS = 500  # cards in one file


def assemble(text: str, source: str, reader_warnings: Sequence[str] = ()) -> list[Card]:
    """The canonical cards of ``text``: one for a card, each card of a bundle in order
    (:mod:`graph.parser.bundle`, named ``source#1``, ``source#2`` ...). The reader's
    warnings come first in each card's warnings."""
    if len(text) > MAX_CHARS:
        raise CardError(source, f"text too long ({len(text)} characters)")
    lines = split_lines(text)
    turned = mirrored(lines)
    if turned:
        lines = turn_back(lines)
    starts = card_starts(lines)
    if len(starts) > MAX_CARDS:
        raise CardError(source, f"holds {len(starts)} cards, over the limit of {MAX_CARDS}")
    if len(starts) == 1:
        return [_card(split_document(lines, turned), source, reader_warnings)]
    ends = [*starts[1:], len(lines)]
    return [
        _card(
            split_document(lines[start:end], turned),
            f"{source}#{n}",
            [*reader_warnings, f"card {n} of the {len(starts)} cards in {source}"],
        )
        for n, (start, end) in enumerate(zip(starts, ends, strict=True), 1)
    ]


def _card(doc: Document, source: str, reader_warnings: Sequence[str]) -> Card:
    forget()
    warnings: list[str] = list(reader_warnings)
    if doc.mirrored:
        warnings.append(
            "table rows read left to right (labels closed the rows): their cells were reversed"
        )
    fields = read_fields(doc.form, warnings)
    if fields is None:
        raise CardError(source, "not a service card: no form labels found")
    internal, external = read_exchanges(doc.form, warnings)
    processes = read_processes(doc.form)
    stages = read_stages(doc.form, warnings)
    licenses = read_licenses(doc.licenses)
    external += license_exchanges(licenses, external)
    card = {
        "source": source,
        **fields.card_values(),
        "internal_exchanges": internal,
        "external_exchanges": external,
        "processes": processes,
        "stages": stages,
        "licenses": licenses,
        "form_filler": read_filler(doc.form),
        "warnings": warnings,
    }
    return Card.model_validate(card)
