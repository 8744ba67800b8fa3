"""Table cells of a scanned page, found from its ruling lines.

A card is a form of bordered tables. Rulings are long straight runs of ink that text never
makes: a horizontal run of at least :data:`MIN_RULE_IN` inch, a vertical one at least
:data:`MIN_RULE_IN_V`. Their positions cut the page into a grid of small rectangles; two
neighbouring rectangles belong to one cell unless a ruling separates them (so cells that
span rows or columns come out whole), and a cell is a region that rulings close on every
side. Whatever is not in a closed region (headings, paragraphs between tables) is running
text. The cells of one row are listed right to left, the reading order of a Persian form.

>>> import numpy as np
>>> page = np.zeros((600, 900), bool)
>>> for y in (100, 300, 500): page[y:y + 3, 100:800] = True
>>> for x in (100, 450, 797): page[100:503, x:x + 3] = True
>>> page[300:303, 450:800] = False  # the right-hand cell spans both rows
>>> grid = Grid.of(page, dpi=300)
>>> [(c.row, c.box) for c in grid.cells]
[(0, (453, 103, 797, 500)), (0, (103, 103, 450, 300)), (1, (103, 303, 450, 500))]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

__all__ = ["Cell", "Grid", "long_runs", "widen"]

MIN_RULE_IN = 0.4
MIN_RULE_IN_V = 0.2
_MIN_CELL_IN = 0.08
_RULED = 0.6  # share of a side that must be inked for it to separate two regions


@dataclass(frozen=True)
class Cell:
    """A closed region: its box (x0, y0, x1, y1) inside the rulings, and its row's index."""

    box: tuple[int, int, int, int]
    row: int


@dataclass
class Grid:
    """The rulings of a page (as an ink mask) and the cells they close."""

    rules: np.ndarray
    cells: list[Cell] = field(default_factory=list)

    @classmethod
    def of(cls, mask: np.ndarray, dpi: int) -> Grid:
        horizontal = long_runs(mask, round(MIN_RULE_IN * dpi))
        vertical = long_runs(mask.T, round(MIN_RULE_IN_V * dpi)).T
        grid = cls(horizontal | vertical)
        merge = max(2, round(0.05 * dpi))
        ys = _positions(horizontal.sum(axis=1), round(MIN_RULE_IN * dpi), merge)
        xs = _positions(vertical.sum(axis=0), round(MIN_RULE_IN_V * dpi), merge)
        ys = _close_ends(ys, vertical, merge)
        if len(ys) >= 2 and len(xs) >= 2:
            grid.cells = _cells(horizontal, vertical, ys, xs, round(_MIN_CELL_IN * dpi))
        return grid


def long_runs(mask: np.ndarray, min_len: int) -> np.ndarray:
    """The pixels of ``mask`` in horizontal runs at least ``min_len`` long (gaps of 2 bridged)."""
    bridged = mask.copy()
    bridged[:, 1:-1] |= mask[:, :-2] & mask[:, 2:]
    bridged[:, 1:-2] |= mask[:, :-3] & mask[:, 3:]
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), np.int8)
    padded[:, 1:-1] = bridged
    rows, starts = np.nonzero(np.diff(padded, axis=1) == 1)
    _, ends = np.nonzero(np.diff(padded, axis=1) == -1)
    out = np.zeros(mask.shape, bool)
    for row, start, end in zip(rows, starts, ends, strict=True):
        if end - start >= min_len:
            out[row, start:end] = True
    return out & mask if min_len else out


def _positions(profile: np.ndarray, min_len: int, merge: int) -> list[tuple[int, int]]:
    """(first, last) index of each ruling: runs of rows holding a long run, merged when close."""
    lines: list[tuple[int, int]] = []
    for index in np.nonzero(profile >= min_len)[0]:
        if lines and index - lines[-1][1] <= merge:
            lines[-1] = (lines[-1][0], int(index))
        else:
            lines.append((int(index), int(index)))
    return lines


def _close_ends(
    ys: list[tuple[int, int]], vertical: np.ndarray, merge: int
) -> list[tuple[int, int]]:
    """A table cut by the page's edge (continued on the next page) closes at its rulings' ends."""
    rows = np.nonzero(vertical.any(axis=1))[0]
    if not ys or not len(rows):
        return ys
    first, last = int(rows[0]), int(rows[-1])
    if first < ys[0][0] - merge:
        ys = [(first, first), *ys]
    if last > ys[-1][1] + merge:
        ys = [*ys, (last, last)]
    return ys


def _covered(band: np.ndarray, axis: int) -> NDArray[np.bool_]:
    """Where the 2-D ``band`` has ink anywhere along ``axis``: a 1-D mask (numpy's stubs
    type ``any(axis=...)`` as a scalar or an array since they cannot see the input's rank;
    ``asarray`` of an array is that array, not a copy)."""
    return np.asarray(band.any(axis=axis))


def _cells(
    horizontal: np.ndarray,
    vertical: np.ndarray,
    ys: list[tuple[int, int]],
    xs: list[tuple[int, int]],
    min_size: int,
) -> list[Cell]:
    pad = 2
    hcover = [_covered(horizontal[max(0, a - pad) : b + pad + 1], 0) for a, b in ys]
    for k, (a, _) in enumerate(ys):
        if not hcover[k].any():  # an added edge line: it spans the rulings that reach it
            cols = np.nonzero(vertical[max(0, a - 2 * pad) : a + 2 * pad + 1].any(axis=0))[0]
            if len(cols):
                hcover[k][cols[0] : cols[-1] + 1] = True
    vcover = [_covered(vertical[:, max(0, a - pad) : b + pad + 1], 1) for a, b in xs]
    nx, ny = len(xs) - 1, len(ys) - 1
    parent = list(range(nx * ny + 1))
    outside = nx * ny

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    def ruled(cover: np.ndarray, lo: int, hi: int) -> bool:
        inner = cover[lo + pad + 1 : hi - pad]
        return inner.size > 0 and inner.mean() >= _RULED

    for j in range(ny):
        top, bottom = ys[j][1], ys[j + 1][0]
        for i in range(nx):
            node = j * nx + i
            left, right = xs[i][1], xs[i + 1][0]
            if not ruled(vcover[i + 1], top, bottom):
                union(node, node + 1 if i + 1 < nx else outside)
            if i == 0 and not ruled(vcover[0], top, bottom):
                union(node, outside)
            if not ruled(hcover[j + 1], left, right):
                union(node, node + nx if j + 1 < ny else outside)
            if j == 0 and not ruled(hcover[0], left, right):
                union(node, outside)
    regions: dict[int, list[int]] = {}
    for node in range(nx * ny):
        root = find(node)
        if root != find(outside):
            regions.setdefault(root, []).append(node)
    cells = []
    for nodes in regions.values():
        i0, i1 = min(n % nx for n in nodes), max(n % nx for n in nodes)
        j0, j1 = min(n // nx for n in nodes), max(n // nx for n in nodes)
        box = (xs[i0][1] + 1, ys[j0][1] + 1, xs[i1 + 1][0], ys[j1 + 1][0])
        if box[2] - box[0] >= min_size and box[3] - box[1] >= min_size:
            cells.append(Cell(box, j0))
    cells.sort(key=lambda c: (c.row, -c.box[2]))
    return cells


def widen(mask: np.ndarray) -> np.ndarray:
    """The mask widened by 2 pixels each way (anti-aliased edges of a ruling)."""
    out = mask.copy()
    for shift in (1, 2):
        out[shift:] |= mask[:-shift]
        out[:-shift] |= mask[shift:]
        out[:, shift:] |= mask[:, :-shift]
        out[:, :-shift] |= mask[:, shift:]
    return out
