"""A card's text as lines of cells, cleaned once.

Readers hand over raw text in which table cells are separated by tabs (PDF and HTML
conversions) or stand one per line (Word plain text). Here markup becomes plain text,
checkboxes become marks (:mod:`graph.parser.checkboxes`), every cell is passed once
through :func:`graph.text.normalize`, and the form's explanatory appendix is cut off so
that its label definitions are never read as values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.parser.checkboxes import to_marks
from graph.parser.labels import Matcher, vocabulary
from graph.text import normalize

_ANCHOR = re.compile(r"<a\b[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,400}>")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]{0,200}\]")
_MD = re.compile(r"^\s*#{1,6}\s+|\*\*|^-{3,}$")
_RULE = re.compile(r"^[\s\-|:=_]+$")

MAX_LINES = 20_000


@dataclass(slots=True)
class Line:
    """One line of the card: its cells (normalized, possibly empty) and its number."""

    number: int
    cells: list[str]

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c)

    @property
    def filled(self) -> list[str]:
        return [c for c in self.cells if c]


@dataclass(slots=True)
class Document:
    """The card split into the form part (sections 1-10) and the licence part."""

    form: list[Line]
    licenses: list[Line]


def clean_raw(text: str) -> str:
    """Markup and checkbox encodings out; tabs and newlines (the layout) kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = to_marks(text)
    if "<" in text:
        text = _ANCHOR.sub(r" \1 ", text)
        text = _TAG.sub(" ", text)
    if "[bookmark" in text:
        text = _BOOKMARK.sub("", text)
    return text


def split_lines(text: str) -> list[Line]:
    """Raw text -> normalized lines of tab-separated cells (bounded in count)."""
    lines = []
    for number, raw in enumerate(clean_raw(text).split("\n")[:MAX_LINES]):
        if "**" in raw or "#" in raw or "---" in raw:
            raw = _MD.sub(" ", raw)
        cells = [normalize(cell) for cell in raw.split("\t")]
        if len(cells) == 1 and _RULE.match(cells[0] or "-"):
            cells = [""]
        lines.append(Line(number, cells))
    return lines


def read_document(text: str) -> Document:
    """Split a card into the form part and the licence part, dropping the appendix."""
    lines = split_lines(text)
    vocab = vocabulary()
    marks = Matcher(
        {
            "appendix": vocab["appendix"],
            "licenses": vocab["license_start"] + vocab["licenses"]["form1"],
        }
    )
    found = [(i, marks.first(line.text)) for i, line in enumerate(lines) if line.text]
    found = [(i, hit.key) for i, hit in found if hit]
    form_end = found[0][0] if found else len(lines)
    rest = lines[form_end:]
    # The appendix ends where the licence tables begin.
    for i, key in found:
        if key == "licenses":
            rest = lines[i:]
            break
    else:
        rest = []
    return Document(form=lines[:form_end], licenses=rest)
