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
