"""Table rows and text lines of a page, from its ruling lines and where the glyphs sit.

A form's tables are drawn as ruling lines. Every horizontal ruling (and every end of a
vertical one, since a row cut by a page break has no border at the cut) is a possible row
edge; a band between two such edges that vertical rulings cross from edge to edge is a
table row, and those rulings cut it into cells. Glyphs inside a cell are one cell however
many lines they wrap over; glyphs outside every row are paragraph lines, cut into cells
where they leave a gap no word space is as wide as. Cells are written right to left (the
first cell is the rightmost), as the reader layout wants.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from graph.readers.pdf.borderless import borderless_rows
from graph.readers.pdf.order import logical, strong_class
from graph.readers.pdf.page import Glyph, Page, Rule

__all__ = ["BOX_MARKS", "Row", "cell_text", "join_split_row", "line_text", "page_rows"]

BOX_MARKS = {True: "\u2611", False: "\u2610"}
"""Stand-ins for checkboxes while a line is ordered (bidi-neutral, as the markup is)."""
_MARKS = frozenset(BOX_MARKS.values())

_TOL = 2.0
_MIN_ROW = 4.0
_WORD_GAP = 0.17  # in em: letters of a word touch or nearly, words are a space apart
_SPACED_GAP = 0.5
_PADDING = 12.0  # pt: a cell's inner margins on both sides, and some slack
_LINK_END = re.compile(r"(?:\S*@|https?://|www\.)[\w.@:/%?=&#~+-]*$", re.ASCII)
_LINK_GOES_ON = re.compile(r"[\w./%?=&#~+-]", re.ASCII)


@dataclass
class Row:
    """A table row (``cells``, right to left, with their x-extent) or a line (``cells``
    is one string and ``table`` is False)."""

    top: float
    bottom: float
    cells: list[str]
    table: bool
    edges: list[tuple[float, float]] = field(default_factory=list)
    open_top: bool = False  # no ruling above: may continue a row from the page before
    open_bottom: bool = False  # no ruling below: may go on on the next page


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= _TOL:
            continue
        out.append(v)
    return out


def _lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into text lines (vertical overlap), top to bottom."""
    lines: list[tuple[float, float, list[Glyph]]] = []
    for g in sorted(glyphs, key=lambda g: g.top):
        for i, (top, bottom, members) in enumerate(lines):
            overlap = min(bottom, g.bottom) - max(top, g.top)
            if overlap >= 0.5 * min(bottom - top, g.bottom - g.top):
                members.append(g)
                lines[i] = (min(top, g.top), max(bottom, g.bottom), members)
                break
        else:
            lines.append((g.top, g.bottom, [g]))
    return [members for _, _, members in sorted(lines, key=lambda line: line[0])]


def _letters(a: Glyph, b: Glyph) -> bool:
    """Both glyphs are right-to-left letters (where a drawn space is always there)."""
    return strong_class(a.text) == "R" and strong_class(b.text) == "R"


def line_text(glyphs: list[Glyph]) -> str:
    """One line's text in reading order, with a space where the glyphs leave a word gap
    and a :data:`BOX_MARKS` stand-in for each checkbox."""
    units: list[str] = []
    prev: Glyph | None = None
    # Where the producer drew its spaces (LibreOffice, Word) they mark the words, and only
    # a wide gap adds one; where it did not (Chromium), a gap of a thin space does.
    # Producers that draw spaces skip some where the direction changes (LibreOffice before
    # a bracket or a Latin word), so there a thin gap is a space too.
    spaced = any(g.text == " " for g in glyphs)
    for g in sorted(glyphs, key=lambda g: g.cx):
        if g.text == " ":
            if units and units[-1] != " ":
                units.append(" ")
            prev = g
            continue
        if prev is not None and units and units[-1] != " ":
            word_gap = _SPACED_GAP if spaced and _letters(prev, g) else _WORD_GAP
            if g.x0 - prev.x1 > word_gap * min(g.size, prev.size):
                units.append(" ")
        if g.box is not None and units and units[-1] != " ":
            units.append(" ")
        units.append(g.text if g.box is None else BOX_MARKS[g.box])
        if g.box is not None:
            units.append(" ")
        prev = g
    return logical(units)


def cell_text(glyphs: list[Glyph], width: float | None = None) -> str:
    """A cell's lines joined with spaces (a cell that wraps is still one cell).

    A line break inside a word is not a space: when a line is one word (and maybe a
    checkbox) filling the cell's width (a word too long for the cell, broken where it met
    the border), or ends in an
    e-mail address or URL that the next line goes on with, the lines are joined as they are.
    """
    out = ""
    broken = False
    for line in _lines(glyphs):
        text = line_text(line).strip()
        if not text:
            continue
        if out and (broken or (_LINK_END.search(out) and _LINK_GOES_ON.match(text))):
            out += text
        else:
            out = f"{out} {text}" if out else text
        span = max(g.x1 for g in line) - min(g.x0 for g in line)
        words = [w for w in text.split() if w not in _MARKS]
        broken = width is not None and len(words) == 1 and span >= width - _PADDING
    return out


def _meets_a_column(row: Rule, page: Page) -> bool:
    """A table border meets a vertical ruling; a text underline in a cell does not."""
    return any(
        col.a - _TOL <= row.at <= col.b + _TOL and row.a - _TOL <= col.at <= row.b + _TOL
        for col in page.cols
    )


def _bands(page: Page) -> list[tuple[float, float, list[float], bool, bool]]:
    """(top, bottom, cuts, open_top, open_bottom) of every table row band on the page."""
    real = _cluster([r.at for r in page.rows if _meets_a_column(r, page)])
    ends = _cluster([c.a for c in page.cols] + [c.b for c in page.cols])
    edges = _cluster(real + ends)
    out = []
    for top, bottom in itertools.pairwise(edges):
        if bottom - top < _MIN_ROW:
            continue
        crossing = [c.at for c in page.cols if c.a <= top + _TOL and c.b >= bottom - _TOL]
        cuts = _cluster(crossing)
        if len(cuts) < 2:
            continue
        has_top = any(abs(r - top) <= _TOL for r in real)
        has_bottom = any(abs(r - bottom) <= _TOL for r in real)
        out.append((top, bottom, cuts, not has_top, not has_bottom))
    return out


def _closed_below(page: Page, bottom: float, x0: float, x1: float) -> bool:
    """Whether a ruling runs under the cell ``x0``-``x1`` at ``bottom``."""
    return any(
        abs(r.at - bottom) <= _TOL and r.a <= x0 + 3 * _TOL and r.b >= x1 - 3 * _TOL
        for r in page.rows
    )


def page_rows(page: Page, glyphs: list[Glyph]) -> list[Row]:
    """The page's table rows and text lines, top to bottom.

    A cell with no ruling under it spans the row below too (a label beside several rows):
    its text, wherever it sits in the span, goes to its first row, and the rows below get
    an empty cell there, as the reader layout writes a ``rowspan``.
    """
    rows: list[Row] = []
    free = set(range(len(glyphs)))
    by_height = sorted(range(len(glyphs)), key=lambda i: glyphs[i].cy)
    heights = [glyphs[i].cy for i in by_height]
    bands = _bands(page)
    members: list[list[list[int]]] = []
    owner: dict[tuple[int, int], tuple[int, int]] = {}  # (band, cell) -> its first row
    for b, (top, bottom, cuts, _, _) in enumerate(bands):
        cells: list[list[int]] = [[] for _ in cuts[1:]]
        first = bisect.bisect_left(heights, top - 0.5)
        last = bisect.bisect_right(heights, bottom + 0.5)
        for i in by_height[first:last]:
            cx = glyphs[i].cx
            if i in free and cuts[0] - 0.5 <= cx <= cuts[-1] + 0.5:
                column = min(max(bisect.bisect_right(cuts, cx) - 1, 0), len(cells) - 1)
                cells[column].append(i)
                free.discard(i)
        members.append(cells)
        if b == 0 or abs(bands[b - 1][1] - top) > _TOL:
            continue
        above_cuts = bands[b - 1][2]
        for c, (x0, x1) in enumerate(itertools.pairwise(cuts)):
            for a, (u0, u1) in enumerate(itertools.pairwise(above_cuts)):
                same = abs(u0 - x0) <= _TOL and abs(u1 - x1) <= _TOL
                if same and not _closed_below(page, top, x0, x1):
                    root = owner.get((b - 1, a), (b - 1, a))
                    owner[(b, c)] = root
                    members[root[0]][root[1]] += cells[c]
                    cells[c] = []
    for b, (top, bottom, cuts, open_top, open_bottom) in enumerate(bands):
        spans = list(itertools.pairwise(cuts))
        texts = [
            cell_text([glyphs[i] for i in sorted(cell, key=lambda i: glyphs[i].top)], x1 - x0)
            for cell, (x0, x1) in zip(members[b], spans, strict=True)
        ]
        # right to left: the first cell is the rightmost
        rows.append(Row(top, bottom, texts[::-1], True, spans[::-1], open_top, open_bottom))
    for group in borderless_rows(_lines([glyphs[i] for i in sorted(free)])):
        line = [t for t in (cell_text(cell).strip() for cell in group) if t]
        if line:
            placed = [g for cell in group for g in cell]
            top, bottom = min(g.top for g in placed), max(g.bottom for g in placed)
            rows.append(Row(top, bottom, line, len(line) > 1))
    rows.sort(key=lambda r: r.top)
    return rows


def _continues(last: Row, first: Row) -> bool:
    """Whether ``first`` reads as the rest of ``last`` rather than a row of its own: it
    fills only cells ``last`` fills, and either fewer of them (the short cells ended on the
    first page) or one (a long value flowing on), or a cell of ``last`` ends on a label's
    colon, or ``first`` leaves empty the first cell, where a new row has its label. Two
    rows of a list that fill the same cells stay two rows."""
    before = {i for i, c in enumerate(last.cells) if c}
    after = {i for i, c in enumerate(first.cells) if c}
    if not after or not after <= before:
        return False
    if len(before) == 1 or after < before:
        return True
    if any(last.cells[i].endswith(":") for i in after):
        return True
    return not first.cells[0] and bool(last.cells[0])


def join_split_row(last: Row, first: Row, page_full: bool) -> bool:
    """Merge ``first`` (top of a page) into ``last`` (bottom of the page before) when one
    table row was cut by the page break: the same columns, and either no ruling at the cut
    (browsers) or a page filled to its last line (Word and LibreOffice rule the cut, but
    only split a row that does not fit; a row that starts a page after a full one is rare)."""
    if not (last.table and first.table and last.edges and first.edges):
        return False
    if not (last.open_bottom and first.open_top) and not (page_full and _continues(last, first)):
        return False  # a ruled cut: only where the page is filled to the last line
    if len(last.edges) != len(first.edges):
        return False
    if any(
        abs(a[0] - b[0]) > 3 or abs(a[1] - b[1]) > 3
        for a, b in zip(last.edges, first.edges, strict=True)
    ):
        return False
    last.cells = [f"{a} {b}".strip() for a, b in zip(last.cells, first.cells, strict=True)]
    return True
