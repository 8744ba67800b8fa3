"""The plain-text layout every reader produces, so the parser sees one shape for all formats.

HTML pages and Word documents are turned into the same line-structured text the example
``.txt`` cards already have: table cells separated by a TAB, each table row on its own line,
paragraphs outside tables on their own lines, and checkboxes written as the canonical markup
:data:`CHECKED` / :data:`UNCHECKED`. Inside a table cell a paragraph or line break becomes a
space, so that one row stays one line; a table nested in a cell puts each of its rows on its
own line (the first row continues the outer line when the cell had no text before it) and
the outer row continues on a new line after it. Lines that hold nothing are dropped, runs of
spaces are collapsed and each cell is trimmed.

>>> out = Layout()
>>> out.text("عنوان")
>>> out.start_table(); out.start_row(); out.start_cell(); out.text("نوع")
>>> out.start_cell(); out.checkbox(True); out.text("G2C"); out.brk(); out.checkbox(False)
>>> out.end_table()
>>> out.result().split("\\n")
['عنوان', 'نوع\\t<input checked="" type="checkbox"/> G2C <input type="checkbox"/>']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["CHECKED", "UNCHECKED", "CardText", "Layout"]

CHECKED = '<input checked="" type="checkbox"/>'
UNCHECKED = '<input type="checkbox"/>'

# Structure is only ever written by Layout; whitespace inside text is one space.
_FLATTEN = str.maketrans(dict.fromkeys("\t\n\r\v\f\x85\u2028\u2029\xa0", " "))
_SPACE_RUN = re.compile(" {2,}")


class CardText(str):
    """A card's text in this layout, carrying what the reader noticed on the way.

    Readers of PDFs, scans and damaged text know things the parser cannot see (an OCR
    page's confidence, a checkbox whose state could not be decided, a byte that was not
    UTF-8); they say so in ``warnings``, which :func:`graph.parser.parse_text` puts first
    in the card's own warnings. Being a ``str``, it goes wherever card text went before.

    >>> text = CardText("عنوان خدمت: الف", ["page 1: OCR confidence 0.81"])
    >>> text.warnings, text == "عنوان خدمت: الف"
    (('page 1: OCR confidence 0.81',), True)
    """

    warnings: tuple[str, ...]

    def __new__(cls, text: str, warnings: Iterable[str] = ()) -> CardText:
        self = super().__new__(cls, text)
        self.warnings = tuple(warnings)
        return self


@dataclass
class _Table:
    in_row: bool = False
    in_cell: bool = False
    first_cell: bool = True
    cell_has_text: bool = False


class Layout:
    """Collects text and structure events and renders them as card text."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._tables: list[_Table] = []

    @property
    def in_table(self) -> bool:
        """True between :meth:`start_table` and :meth:`end_table`."""
        return bool(self._tables)

    @property
    def in_cell(self) -> bool:
        """True inside a cell of the innermost open table."""
        return bool(self._tables) and self._tables[-1].in_cell

    def text(self, text: str) -> None:
        """Add running text; tabs, newlines and NBSP in it become spaces."""
        text = text.translate(_FLATTEN)
        if not text:
            return
        self._parts.append(text)
        if self.in_cell and text.strip():
            self._tables[-1].cell_has_text = True

    def checkbox(self, checked: bool) -> None:
        """Add one checkbox as canonical markup."""
        self.text(f" {CHECKED if checked else UNCHECKED} ")

    def brk(self) -> None:
        """A paragraph or line break: a new line, or a space inside a table cell."""
        self._parts.append(" " if self.in_cell else "\n")

    def tab(self) -> None:
        """A tab stop: a column break outside tables, a space inside a cell."""
        self._parts.append(" " if self.in_cell else "\t")

    def start_table(self) -> None:
        if not self.in_cell or self._tables[-1].cell_has_text:
            self._parts.append("\n")
        self._tables.append(_Table())

    def end_table(self) -> None:
        if not self._tables:
            return
        self.end_row()
        self._tables.pop()
        self._parts.append("\n")
        if self._tables and self._tables[-1].in_cell:
            self._tables[-1].cell_has_text = True

    def start_row(self) -> None:
        table = self._tables[-1]
        self.end_row()
        table.in_row = True
        table.first_cell = True

    def end_row(self) -> None:
        if not self._tables:
            return
        table = self._tables[-1]
        table.in_cell = False
        if table.in_row:
            self._parts.append("\n")
            table.in_row = False

    def start_cell(self) -> None:
        table = self._tables[-1]
        if not table.in_row:
            self.start_row()
        if not table.first_cell:
            self._parts.append("\t")
        table.first_cell = False
        table.in_cell = True
        table.cell_has_text = False

    def end_cell(self) -> None:
        if self._tables:
            self._tables[-1].in_cell = False

    def result(self) -> str:
        """The rendered text: non-empty lines, cells trimmed, no trailing newline."""
        lines = []
        for line in "".join(self._parts).split("\n"):
            cells = [_SPACE_RUN.sub(" ", cell).strip() for cell in line.split("\t")]
            if any(cells):
                lines.append("\t".join(cells))
        return "\n".join(lines)
