"""Table rows of sections 7 and 8 as cells, whatever the layout produced.

PDF and HTML conversions give one row per line with tab-separated cells, sometimes in
reversed (right-to-left read left-to-right) order. Word plain text gives one cell per
line: a row starts at an empty cell line that follows a blank line, and a line without
a leading tab continues the cell above it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from graph.parser.checkboxes import BOX_MARK, BOXES
from graph.parser.compact import pairs
from graph.parser.document import Line
from graph.parser.labels import matcher, per_card
from graph.parser.values import BLANK_VALUES, clean

_ROW_NUMBER = re.compile(r"^\d{1,3}[.)]?$")
NAME_COLUMNS = ("agency", "system", "fields")
INQUIRY_COLUMNS = ("online", "batch", "non_electronic", "inquiry_by", "electronic", "fee")


@dataclass
class Header:
    """Column heads seen above a table: where each sits and which way the table reads."""

    positions: dict[str, int] = field(default_factory=dict)
    reversed: bool | None = None
    inquiries: list[str] = field(default_factory=list)

    def absorb(self, cells: list[str]) -> None:
        found: dict[str, int] = {}
        for i, cell in enumerate(cells):
            if matcher("exchange_sections").find(cell):
                continue
            for hit in matcher("columns").find(cell):
                found.setdefault(hit.key, i)
        names = [p for k, p in found.items() if k in NAME_COLUMNS]
        inquiry = [p for k, p in found.items() if k in INQUIRY_COLUMNS]
        if names and inquiry and sum(names) / len(names) != sum(inquiry) / len(inquiry):
            self.reversed = sum(names) / len(names) > sum(inquiry) / len(inquiry)
            self.positions = dict(found)
        elif not self.positions:
            self.positions = dict(found)
        else:
            for k, p in found.items():
                self.positions.setdefault(k, p)
        for k in ("online", "batch", "non_electronic"):
            if k in found and k not in self.inquiries:
                self.inquiries.append(k)
        if "inquiry_by" in found and "non_electronic" not in self.inquiries:
            self.inquiries.append("non_electronic")
        order = ["online", "batch", "non_electronic"]
        self.inquiries.sort(key=order.index)

    def names(self, external: bool) -> list[str]:
        wanted = NAME_COLUMNS if external else NAME_COLUMNS[1:]
        present = [k for k in wanted if k in self.positions]
        return present if external and present else list(wanted)


def is_header(cells: list[str]) -> bool:
    """A row made only of column heads (and section titles), with no boxes."""
    return _is_header(tuple(c for c in cells if c))


@per_card
def _is_header(filled: tuple[str, ...]) -> bool:
    if not filled:
        return False
    for cell in filled:
        hits = matcher("columns").find(cell) + matcher("exchange_sections").find(cell)
        if any(b in cell for b in BOXES) and not any(h.key != "inquiry_by" for h in hits):
            return False
        bare = BOX_MARK.sub("", cell).replace(" ", "")
        covered = sum(h.end - h.start for h in hits)
        if not (hits and covered >= 0.5 * len(bare) - 6):
            if not (matcher("inquiry_words").find(cell) and len(cell) < 30):
                return False
    return True


@per_card
def cell_kind(cell: str) -> str:
    """``empty``, ``blank`` (ندارد, -), ``row`` (the number in a «ردیف» column), ``box``
    (marks and mode words), ``mode`` or ``text``.

    >>> [cell_kind(c) for c in ("3", "-", "سامانه سجا")]
    ['row', 'blank', 'text']
    """
    if not cell:
        return "empty"
    if cell in BLANK_VALUES:
        return "blank"
    if _ROW_NUMBER.match(cell):
        return "row"
    has_box = any(b in cell for b in BOXES)
    rest = cell
    for m in (matcher("columns"), matcher("inquiry_words")):
        for hit in reversed(m.find(rest)):
            rest = rest[: hit.start] + rest[hit.end :]
    left = clean(BOX_MARK.sub(" ", rest))
    if not left or len(left) <= 2:
        return "box" if has_box else "mode"
    return "text"


def rows_of(lines: list[Line]) -> list[list[str]]:
    """The rows of a table region: lines, or Word blocks when no line has two cells."""
    tabbed = any(len(line.cells) >= 2 for line in lines)
    if not tabbed and _cell_per_line(lines):
        return _cell_rows(lines)
    if not tabbed or any(len(line.filled) >= 2 for line in lines):
        return [line.cells for line in lines]
    rows: list[list[str]] = []
    current: list[str] = []
    for i, line in enumerate(lines):
        raw_blank = len(line.cells) == 1 and not line.cells[0]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if raw_blank:
            starts_row = nxt is not None and len(nxt.cells) >= 2 and not nxt.text
            if nxt is not None and nxt.text and is_header(nxt.filled):
                starts_row = True
            if starts_row and current:
                rows.append(current)
                current = []
            continue
        if len(line.cells) >= 2:
            current.append(" ".join(line.filled))
        elif current:
            current[-1] = f"{current[-1]} {line.cells[0]}".strip()
        else:
            current.append(line.cells[0])
    if current:
        rows.append(current)
    return rows


def _cell_per_line(lines: list[Line]) -> bool:
    """Whether a table came out one cell per line (Word exports): column heads standing
    on lines of their own, one after the other (empty lines between them aside)."""
    heads = [_column_head(line.text) for line in lines if line.text]
    return any(a and b for a, b in itertools.pairwise(heads))


def _column_head(text: str) -> bool:
    """A line that is one column head: no section title, no ``label : value`` record."""
    if matcher("exchange_sections").find(text) or not is_header([text]):
        return False
    return not pairs([text]) and any(h.key != "inquiry" for h in matcher("columns").find(text))


def _cell_rows(lines: list[Line]) -> list[list[str]]:
    """Rows of a table written one cell per line: consecutive head lines make the head row;
    under a «ردیف» head a data row starts at its row number, in a table without one at a
    text cell after the boxes that end the row before it. Empty lines are empty cells."""
    rows: list[list[str]] = []
    current: list[str] = []
    in_head = after_boxes = numbered = False
    for line in lines:
        text = line.text
        if text and matcher("exchange_sections").find(text):  # a section title: a row
            rows.extend([current, [text]] if current else [[text]])
            current, in_head, after_boxes, numbered = [], False, False, False
            continue
        if text and is_header([text]):
            if not in_head and current:
                rows.append(current)
                current = []
            in_head = True
            numbered = numbered or any(h.key == "row" for h in matcher("columns").find(text))
            current.append(text)
            continue
        if in_head and not text:  # merged head cells leave empty lines between heads
            continue
        kind = cell_kind(text)
        if numbered:
            starts = kind == "row"
        else:
            starts = after_boxes and kind in ("text", "blank")
        if (in_head or starts) and current:
            rows.append(current)
            current = []
            after_boxes = False
        in_head = False
        current.append(text)
        after_boxes = after_boxes or kind in ("box", "mode")
    if current:
        rows.append(current)
    return rows
