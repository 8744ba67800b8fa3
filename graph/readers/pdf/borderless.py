"""Tables drawn without ruling lines, from where their text sits.

Outside ruled tables a line is cut into cells where its glyphs leave a gap wider than any
word space (a borderless table, or a tab stop between a label and its value). A line right
under a row of several cells, as close as the lines of a wrapped paragraph, whose pieces
each lie under one of the row's cells, is those cells wrapping on: their lines are joined
into the row, so a wrapped cell stays one cell. Rows further apart (the cells' padding)
stay rows.
"""

from __future__ import annotations

import itertools

from graph.readers.pdf.page import Glyph

__all__ = ["borderless_rows"]

_COLUMN_GAP = 2.5  # em: wider than any justified word space
_LINE_PITCH = 1.7  # em: lines of one paragraph are at most this far apart


def _extent(glyphs: list[Glyph]) -> tuple[float, float]:
    return min(g.x0 for g in glyphs), max(g.x1 for g in glyphs)


def borderless_rows(lines: list[list[Glyph]]) -> list[list[list[Glyph]]]:
    """Lines outside ruled tables as rows of cells (right to left): a line is cut into
    cells at wide gaps, and a line right under a row of several cells, as close as the
    lines of a wrapped paragraph, whose pieces each lie under one of the row's cells, is
    those cells wrapping on (a borderless table)."""
    centres = [sum(g.cy for g in line) / len(line) for line in lines]
    steps = [b - a for a, b in itertools.pairwise(centres)]
    heights = sorted(max(g.bottom for g in ln) - min(g.top for g in ln) for ln in lines)
    # lines nearer than a line's height are not successive lines of a paragraph
    usual = [s for s in steps if heights and s >= heights[len(heights) // 2]]
    leading = min(usual, default=0.0)
    groups: list[list[list[Glyph]]] = []
    for k, line in enumerate(lines):
        parts = _columns(line)
        row = groups[-1] if groups else None
        size = sorted(g.size for g in line)[len(line) // 2]
        cells = _cells_under(parts, row) if row is not None and len(row) > 1 else None
        if (
            row is not None
            and cells is not None
            and steps[k - 1] <= min(1.1 * leading, _LINE_PITCH * size)
        ):
            for part, cell in zip(parts, cells, strict=True):
                row[cell] += part
            continue
        groups.append(parts)
    return groups


def _cells_under(parts: list[list[Glyph]], row: list[list[Glyph]]) -> list[int] | None:
    """The cell of ``row`` above each of ``parts``, or None when one is under no cell."""
    cells = [_under(part, row) for part in parts]
    return [cell for cell in cells if cell is not None] if None not in cells else None


def _under(part: list[Glyph], row: list[list[Glyph]]) -> int | None:
    """The cell of ``row`` above ``part``: the one it overlaps without reaching into the
    cells beside it (a wrapped line may end short of, or beyond, the first line's ends)."""
    x0, x1 = _extent(part)
    extents = [_extent(cell) for cell in row]
    for i, (c0, c1) in enumerate(extents):
        left = max((e1 for e0, e1 in extents if e1 <= c0), default=float("-inf"))
        right = min((e0 for e0, e1 in extents if e0 >= c1), default=float("inf"))
        if left < x0 and x1 < right and x0 < c1 and x1 > c0:
            return i
    return None


def _columns(line: list[Glyph]) -> list[list[Glyph]]:
    """A line outside ruled tables cut where the glyphs leave a wide gap (a borderless
    table, or a tab stop between a label and its value), right to left."""
    parts: list[list[Glyph]] = []
    prev: Glyph | None = None
    for g in sorted(line, key=lambda g: g.cx):
        if g.text == " ":
            continue
        if prev is None or g.x0 - prev.x1 > _COLUMN_GAP * min(g.size, prev.size):
            parts.append([])
        parts[-1].append(g)
        prev = g
    return parts[::-1]
