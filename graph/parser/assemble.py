"""Putting the parts together: one card text in, one canonical :class:`Card` out."""

from __future__ import annotations

from collections.abc import Sequence

from graph.card import Card
from graph.errors import CardError
from graph.parser.document import read_document
from graph.parser.exchanges import read_exchanges
from graph.parser.labels import forget
from graph.parser.licenses import license_exchanges, read_licenses
from graph.parser.processes import read_filler, read_processes
from graph.parser.sections import read_fields
from graph.parser.stages import read_stages

MAX_CHARS = 6_000_000


def assemble(text: str, source: str, reader_warnings: Sequence[str] = ()) -> Card:
    """The canonical card of ``text``; the reader's warnings come first in its warnings."""
    if len(text) > MAX_CHARS:
        raise CardError(source, f"text too long ({len(text)} characters)")
    forget()
    doc = read_document(text)
    warnings: list[str] = list(reader_warnings)
    if doc.mirrored:
        warnings.append(
            "table rows read left to right (labels closed the rows): their cells were reversed"
        )
    fields = read_fields(doc.form, warnings)
    if not fields:
        raise CardError(source, "not a service card: no form labels found")
    card = {"source": source, **fields}
    card["internal_exchanges"], card["external_exchanges"] = read_exchanges(doc.form, warnings)
    card["processes"] = read_processes(doc.form)
    card["stages"] = read_stages(doc.form, warnings)
    card["licenses"] = read_licenses(doc.licenses)
    card["external_exchanges"] += license_exchanges(card["licenses"], card["external_exchanges"])
    card["form_filler"] = read_filler(doc.form)
    card["warnings"] = warnings
    return Card.model_validate(card)
