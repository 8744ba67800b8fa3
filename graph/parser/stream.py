"""The label stream of a form: its printed labels in reading order, with the text between.

A field's value is the text after its label in the same cell; when that is empty, the
text in the following cells and lines up to the next printed word of the form. This one
rule covers a value in the label's cell (``عنوان خدمت: ...``), in the next cell (PDF
tables), on the next lines (Word plain text), under its label (Word and web tables that
stack a label above its value) and several labels on one line (compact web pages).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from graph.parser.document import Line
from graph.parser.labels import TEXT_FIELDS, Matcher, vocabulary
from graph.parser.values import EMPTY, clean

HEAD = "#head"
UNKNOWN = "#label"
FEE_HEAD = "#fee"
# A printed label the vocabulary lacks: a few words and a colon, alone in its cell ...
_UNKNOWN_LABEL = re.compile(r"^(?:\d{1,2}\s*[-–.)]\s*)?[^\W\d][^\d:：<>@/\ue000\ue001]{1,40}[:：]$")
# ... unless it introduces the value's own list (``به شرح زیر:``, ``شامل:``).
_LEAD_IN = re.compile(r"زیر|ذیل|شامل|عبارتند|عبارت است|به شرح|به قرار")
_NUMBERING = re.compile(r"^\s*\d{1,2}\s*[-–.)]\s*$")


@dataclass(slots=True)
class Piece:
    """A label (``key`` set) or a text run (``text`` set) at a line and cell."""

    key: str | None
    text: str
    line: int
    cell: int


def _stream_matcher() -> Matcher:
    vocab = vocabulary()
    columns = vocab["columns"]
    heads = (
        vocab["headings"]
        + vocab["processes"]
        + vocab["process_end"]
        + vocab["exchange_sections"]["internal"]
        + vocab["exchange_sections"]["external"]
        + vocab["filler"]["name"]
        + columns["agency"][:1]
        + columns["system"][:2]
        + columns["fields"][:3]
        + columns["non_electronic"][:2]
        + columns["electronic"]
    )
    return Matcher(dict(vocab["fields"]) | {HEAD: heads, FEE_HEAD: vocab["fee_heads"]})


STREAM = _stream_matcher()


def build_stream(lines: list[Line]) -> list[Piece]:
    """Labels and text runs in reading order.

    A row of label cells with their values in the row below (Word and web tables that
    stack a label above its value) is read column by column: each label, then what stands
    under it. A cell holding only a short phrase ending in a colon is a label of the form
    this vocabulary does not know (``محل ارائه خدمت:``): it ends the value before it
    and is never a value itself.
    """
    pieces: list[Piece] = []
    n = 0
    while n < len(lines):
        line = lines[n]
        below = _values_below(lines, n)
        if below:
            for c, cell in enumerate(line.cells):
                _add_cell(pieces, cell, line.number, c)
                for value_line in below:
                    if c < len(value_line.cells):
                        _add_cell(pieces, value_line.cells[c], value_line.number, c)
            n += 1 + len(below)
            continue
        for c, cell in enumerate(line.cells):
            if cell:
                _add_cell(pieces, cell, line.number, c)
        n += 1
    return pieces


def _add_cell(pieces: list[Piece], cell: str, line: int, c: int) -> None:
    if not cell:
        return
    pos = 0
    hits = STREAM.find(cell)
    if not hits and cell[-1] in ":：" and _UNKNOWN_LABEL.match(cell) and not _LEAD_IN.search(cell):
        pieces.append(Piece(UNKNOWN, cell, line, c))
        return
    for hit in hits:
        _add_text(pieces, cell[pos : hit.start], line, c)
        pieces.append(Piece(hit.key, cell[hit.start : hit.end], line, c))
        pos = hit.end
    _add_text(pieces, cell[pos:], line, c)


def _values_below(lines: list[Line], n: int) -> list[Line]:
    """The lines under a row of field-label cells that hold their values, else []."""
    line = lines[n]
    if len(line.filled) < 2 or n + 1 == len(lines) or not lines[n + 1].text:
        return []
    if not all(_label_only(cell) for cell in line.filled):
        return []
    below = []
    for nxt in lines[n + 1 : n + 4]:
        if not nxt.text or STREAM.find(nxt.text):
            break
        below.append(nxt)
    return below


def _label_only(cell: str) -> bool:
    hits = STREAM.find(cell)
    if len(hits) != 1 or hits[0].key.startswith("#"):
        return False
    rest = cell[: hits[0].start] + cell[hits[0].end :]
    return EMPTY.match(rest) is not None or _NUMBERING.match(rest) is not None


def holds_field_label(text: str) -> bool:
    """Whether ``text`` holds the label of a single-value field of sections 1-6.

    ``نام سامانه مربوط به خدمت`` starts with the column head ``نام سامانه`` of the
    exchange tables; the longer label decides what the line is.
    """
    return any(h.key in TEXT_FIELDS for h in STREAM.find(text))


def _add_text(pieces: list[Piece], text: str, line: int, cell: int) -> None:
    text = text.strip()
    if text and not _NUMBERING.match(text) and not EMPTY.match(text):
        pieces.append(Piece(None, text, line, cell))


class Stream:
    """The label stream of a form, with the segment of text each label owns."""

    def __init__(self, lines: list[Line]) -> None:
        self.pieces = build_stream(lines)
        self.where: dict[str, list[int]] = {}
        for i, p in enumerate(self.pieces):
            if p.key and not p.key.startswith("#"):
                self.where.setdefault(p.key, []).append(i)

    def segment(self, index: int, *, stop_at_fee_heads: bool = True) -> list[Piece]:
        """Text pieces after the label at ``index``, up to the next label."""
        out = []
        for p in self.pieces[index + 1 :]:
            if p.key is not None and (stop_at_fee_heads or p.key != FEE_HEAD):
                break
            if p.key is None:
                out.append(p)
        return out

    def value(self, index: int) -> str | None:
        """The value of the label at ``index``: same cell first, else what follows."""
        label = self.pieces[index]
        seg = self.segment(index)
        same = [p.text for p in seg if p.line == label.line and p.cell == label.cell]
        text = clean(" ".join(same))
        if text:
            return text
        return clean(join_texts(p.text for p in seg))

    def first_value(self, key: str) -> str | None:
        for index in self.where.get(key, []):
            value = self.value(index)
            if value:
                return value
        return None

    def segment_text(self, index: int) -> str:
        return " ".join(p.text for p in self.segment(index))


def join_texts(texts: Iterable[str]) -> str:
    out: list[str] = []
    for t in texts:
        if not out or out[-1] != t:
            out.append(t)
    return " ".join(out)
