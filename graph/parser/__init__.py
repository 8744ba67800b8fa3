"""Card text -> :class:`graph.card.Card`, driven by the form's printed labels.

The parser never special-cases a card: it finds the form's labels (``labels.yaml``) in
whatever layout the text came in (PDF tables with tab-separated cells, Word plain text
with one cell per line, compact web ``label : value`` pages, HTML/DOCX through
:mod:`graph.readers`) and reads each value next to its label.

>>> card = parse_text("عنوان خدمت: صدور گواهی\\nشناسه خدمت: ۱۲۳۴۵", "x.txt")
>>> card.title, card.service_id
('صدور گواهی', '12345')
"""

from __future__ import annotations

from pathlib import Path

from graph.card import Card
from graph.errors import CardError
from graph.parser.assemble import assemble

__all__ = ["parse_cards", "parse_file", "parse_text"]


def parse_text(text: str, source: str) -> Card:
    """Parse the decoded text of one card; ``source`` names it in the card and errors.

    A :class:`~graph.readers.layout.CardText` brings its reader's warnings into the card.
    Raises :class:`CardError` when the text holds none of the form's labels, or several
    cards (a bundle: read it with :func:`parse_cards`).
    """
    cards = parse_cards(text, source)
    if len(cards) > 1:
        raise CardError(
            source, f"holds {len(cards)} service cards, not one (a bundle: read each card)"
        )
    return cards[0]


def parse_cards(text: str, source: str) -> list[Card]:
    """Parse the decoded text of a card file: its one card, or every card of a bundle
    (named ``source#1``, ``source#2`` ..., in the order they stand)."""
    from graph.readers.layout import CardText

    reader_warnings = text.warnings if isinstance(text, CardText) else ()
    try:
        return assemble(text, source, reader_warnings)
    except CardError:
        raise
    except (ValueError, RecursionError, MemoryError) as exc:  # a parser defect, not input
        raise CardError(source, f"cannot parse: {type(exc).__name__}: {exc}") from exc


def parse_file(path: Path | str) -> Card:
    """Read a card file (txt, html, docx ...) with :func:`graph.readers.read_card` and parse it."""
    from graph.readers import read_card

    path = Path(path)
    return parse_text(read_card(path), path.name)
