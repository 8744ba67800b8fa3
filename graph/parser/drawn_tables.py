"""Tables drawn with characters, as converters write them: Markdown pipe tables and Pandoc
grid tables, turned into the reader layout (cells separated by a TAB, a row per line).

A pipe table row is ``| a | b |``; its ``|---|:---:|`` line is a rule. A grid table is
framed by border lines (``+----+----+``, ``+====+`` under the heads) and one row may run
over several text lines, each holding a slice of every cell: the slices of a column are
joined. Cells spanning columns leave fewer ``|`` in a line; each slice goes to the column
whose left edge (a ``+`` of the borders) is nearest to where the slice starts, so spanning
head cells land in their first column. Border characters are never values.

>>> to_cells(["| عنوان خدمت | صدور پروانه |", "|---|---|"])
['عنوان خدمت\\tصدور پروانه', '']
>>> to_cells(["+----+-----+", "| a  | b   |", "| c  | d   |", "+====+=====+"])
['', 'a c\\tb d', '', '']
"""

from __future__ import annotations

import itertools
import re

_BORDER = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_RULE_SLICE = re.compile(r"^[\s\-=:+]*$")


def to_cells(raws: list[str]) -> list[str]:
    """The lines with drawn table rows as TAB-separated cells; other lines unchanged.

    Line count is kept (rows that a grid table spread over several lines come out on the
    row's first line, its other lines blank), so line numbers still point into the card.
    """
    if not any("|" in raw for raw in raws):
        return raws
    out = list(raws)
    edges: list[int] = []
    block: list[int] = []  # line indices of the grid row being read
    for i, raw in enumerate(raws):
        if _BORDER.match(raw):
            _flush_grid(out, raws, block, edges)
            block = []
            edges = sorted(set(edges) | {m.start() for m in re.finditer(r"\+", raw)})
            out[i] = ""
        elif _PIPE_ROW.match(raw):
            if edges:
                block.append(i)
            else:
                out[i] = _pipe_row(raw)
        else:
            _flush_grid(out, raws, block, edges)
            block, edges = [], []
    _flush_grid(out, raws, block, edges)
    return out


def _pipe_row(raw: str) -> str:
    cells = [c.strip() for c in raw.strip().strip("|").split("|")]
    if all(_RULE_SLICE.match(c) for c in cells):
        return ""
    return "\t".join(cells)


def _flush_grid(out: list[str], raws: list[str], block: list[int], edges: list[int]) -> None:
    if not block:
        return
    columns: dict[int, list[str]] = {}
    edge_set = set(edges)
    for i in block:
        raw = raws[i]
        bars = [n for n, ch in enumerate(raw) if ch == "|" or (ch == "+" and n in edge_set)]
        for left, right in itertools.pairwise(bars):
            piece = raw[left + 1 : right].strip()
            if not piece or _RULE_SLICE.match(piece):
                continue
            col = min(range(len(edges)), key=lambda n: abs(edges[n] - left)) if edges else 0
            columns.setdefault(col, []).append(piece)
    width = max(len(edges) - 1, max(columns, default=0) + 1)
    cells = [" ".join(columns.get(n, [])) for n in range(width)]
    out[block[0]] = "\t".join(cells)
    for i in block[1:]:
        out[i] = ""
