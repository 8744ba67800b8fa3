"""A card's text as lines of cells, cleaned once.

Readers hand over raw text in which table cells are separated by tabs (PDF and HTML
conversions) or stand one per line (Word plain text). Here markup becomes plain text,
checkboxes become marks (:mod:`graph.parser.checkboxes`), the text is passed once through
:func:`graph.text.normalize` (with the same result as cell by cell), and the form's
explanatory appendix is cut off so that its label definitions are never read as values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from graph.parser.checkboxes import to_marks
from graph.parser.drawn_tables import to_cells
from graph.parser.labels import Matcher, matcher, vocabulary
from graph.text import ZWNJ, normalize

_ANCHOR = re.compile(r"<a\b[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,400}>")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]{0,200}\]")
_MD = re.compile(r"^\s*#{1,6}\s+|\*\*|^-{3,}$")
# A line that is only a table rule or a page number (a page footer inside the text).
_RULE = re.compile(
    r"^(?:[\s\-|:=_+]+|(?:صفحه|page)\s*\d+(?:\s*(?:از|of|/)\s*\d+)?|-\s*\d+\s*-)$",
    re.IGNORECASE,
)

MAX_LINES = 20_000
# Private-use marks standing for a tab and a newline while the text is normalized.
_CELL, _ROW = "\ue010", "\ue011"


class Line:
    """One line of the card: its cells (normalized, possibly empty) and its number.

    ``text`` (the filled cells joined by a space) and ``filled`` are worked out once: every
    pass of the parser reads them.
    """

    __slots__ = ("cells", "filled", "number", "text")

    def __init__(self, number: int, cells: list[str]) -> None:
        self.number = number
        self.cells = cells
        self.filled = [c for c in cells if c]
        self.text = " ".join(self.filled)

    def __repr__(self) -> str:
        return f"Line({self.number}, {self.cells!r})"


@dataclass(slots=True)
class Document:
    """The card split into the form part (sections 1-10) and the licence part."""

    form: list[Line]
    licenses: list[Line]
    mirrored: bool = False  # the rows' cells came left to right and were turned back


def clean_raw(text: str) -> str:
    """Markup and checkbox encodings out; tabs and newlines (the layout) kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CELL in text or _ROW in text:
        text = text.replace(_CELL, " ").replace(_ROW, " ")
    text = to_marks(text)
    if "<" in text:
        text = _ANCHOR.sub(r" \1 ", text)
        text = _TAG.sub(" ", text)
    if "[bookmark" in text:
        text = _BOOKMARK.sub("", text)
    return text


def split_lines(text: str) -> list[Line]:
    """Raw text -> normalized lines of tab-separated cells (bounded in count).

    The whole text goes through :func:`graph.text.normalize` in one call, with tabs and
    newlines swapped for private-use marks that normalization leaves alone; a cell whose
    edges that one call cannot treat as a cell's (a ZWNJ at its edge) is normalized alone.
    The result is the same as normalizing cell by cell, several times faster.
    """
    raws = to_cells(clean_raw(text).split("\n")[:MAX_LINES])
    for n, raw in enumerate(raws):
        if "**" in raw or "#" in raw or "---" in raw:
            raws[n] = _MD.sub(" ", raw)
    joined = _ROW.join(raws).replace("\t", _CELL)
    normalized = normalize(joined)
    split = normalized.split(_ROW)
    rows: list[str] | None = split
    if len(split) != len(raws) or normalized.count(_CELL) != joined.count(_CELL):
        rows = None  # an entity decoded into a mark: normalize cell by cell
    lines = []
    for number, raw in enumerate(raws):
        if rows is None:
            cells = [normalize(cell) for cell in raw.split("\t")]
        else:
            row = rows[number]
            cells = [cell.strip() for cell in row.split(_CELL)] if _CELL in row else [row.strip()]
            if ZWNJ in row:
                for c, cell in enumerate(cells):
                    if cell[:1] == ZWNJ or cell[-1:] == ZWNJ:
                        cells[c] = normalize(raw.split("\t")[c])
        if len(cells) == 1 and _RULE.match(cells[0] or "-"):
            cells = [""]
        lines.append(Line(number, cells))
    return lines


@cache
def _part_marks() -> Matcher:
    vocab = vocabulary()
    return Matcher(
        {
            "appendix": vocab["appendix"],
            "licenses": vocab["license_start"] + vocab["licenses"]["form1"],
        }
    )


_NUMBERED = re.compile(r"^\d{1,2}\s*[-–.)]\s*\D")


def _starts_a_row(cell: str) -> bool:
    """Whether a cell reads as the first of a form row: a field label or a section number."""
    if _NUMBERED.match(cell):
        return True
    hit = matcher("fields").first(cell)
    return hit is not None and hit.start <= 4


def mirrored(lines: list[Line]) -> bool:
    """Whether the rows' cells stand left to right: a form's labels and section numbers
    open its rows, so when they end far more rows than they open, the table was laid out
    left to right (a PDF from a left-to-right table, a page without ``dir="rtl"``) and every
    reader, which writes cells right to left, gave them reversed.

    The evidence must be strong (twice as many rows plus three): a right-to-left card whose
    rows open with a heading cell and hold their labels further on never qualifies.
    """
    opening = closing = 0
    for line in lines:
        if len(line.filled) >= 2:
            opening += _starts_a_row(line.filled[0])
            closing += _starts_a_row(line.filled[-1])
    return closing >= 2 * opening + 3


def read_document(text: str) -> Document:
    """Split a card into the form part and the licence part, dropping the appendix; rows
    read left to right (:func:`mirrored`) are turned back first."""
    lines = split_lines(text)
    turned = mirrored(lines)
    if turned:
        lines = turn_back(lines)
    return split_document(lines, turned)


def turn_back(lines: list[Line]) -> list[Line]:
    """Every row's cells in reverse order (a row of one cell stays as it is)."""
    return [Line(n.number, n.cells[::-1]) if len(n.filled) > 1 else n for n in lines]


def split_document(lines: list[Line], turned: bool = False) -> Document:
    """One card's lines as its form part and its licence part, the appendix dropped."""
    marks = _part_marks()
    hits = [(i, marks.first(line.text)) for i, line in enumerate(lines) if line.text]
    found = [(i, hit.key) for i, hit in hits if hit]
    form_end = found[0][0] if found else len(lines)
    rest = lines[form_end:]
    # The appendix ends where the licence tables begin.
    for i, key in found:
        if key == "licenses":
            rest = lines[i:]
            break
    else:
        rest = []
    return Document(form=lines[:form_end], licenses=rest, mirrored=turned)
