"""Checkboxes on a scanned page and their state, from the ink inside each square.

OCR reads a checkbox as a stray letter or digit, so boxes are found in the image and taken
out of the text before Tesseract sees it. A box is a blob of ink (a connected component)
about the size of a letter (:data:`MIN_BOX_IN`..:data:`MAX_BOX_IN` inch), about square,
whose four sides are each mostly inked. Its state comes from the ink in the middle half of
the square: almost none is an empty box, a good share is a tick, a cross or a fill. Between
the two it is not decided: the box is reported with ``checked=None`` and the reader warns
instead of guessing.

>>> import numpy as np
>>> page = np.zeros((100, 240), bool)
>>> page[20:60, 20:60] = True; page[24:56, 24:56] = False       # empty square
>>> page[20:60, 100:140] = True                                  # filled square
>>> page[70:75, 20:180] = True                                   # a stroke, not a box
>>> page[20:60, 150:190] = True; page[24:56, 154:186] = False   # empty, touching a letter:
>>> page[40:44, 190:230] = True                                  # found by its square end
>>> [(b.box, b.checked) for b in find_boxes(page, dpi=300)]
[((149, 19, 191, 61), False), ((99, 19, 141, 61), True), ((19, 19, 61, 61), False)]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Box", "components", "find_boxes", "ocr_scale"]

MIN_BOX_IN = 0.07
MAX_BOX_IN = 0.3
_SIDE_INKED = 0.7
_EMPTY = 0.06
_MARKED = 0.15


@dataclass(frozen=True)
class Box:
    """A checkbox: its bounding box (x0, y0, x1, y1) and state (``None``: undecided)."""

    box: tuple[int, int, int, int]
    checked: bool | None
    fill: float


def components(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (x0, y0, x1, y1) of the 8-connected blobs of ``mask``.

    Works on runs of ink, not pixels: a union-find over runs that touch a run of the row
    above, so the cost follows the amount of ink edges, not the page's size.
    """
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), np.int8)
    padded[:, 1:-1] = mask
    change = np.diff(padded, axis=1)
    rows, starts = np.nonzero(change == 1)
    _, ends = np.nonzero(change == -1)
    count = len(rows)
    parent = list(range(count))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    row_list, start_list, end_list = rows.tolist(), starts.tolist(), ends.tolist()
    prev_lo = prev_hi = cur_lo = 0
    for index in range(count):
        if index and row_list[index] != row_list[index - 1]:
            if row_list[index] == row_list[index - 1] + 1:
                prev_lo, prev_hi = cur_lo, index
            else:
                prev_lo = prev_hi = index
            cur_lo = index
        start, end = start_list[index], end_list[index]
        for other in range(prev_lo, prev_hi):
            if start_list[other] <= end and start <= end_list[other]:
                a, b = find(index), find(other)
                if a != b:
                    parent[a] = b
    roots = np.array([find(i) for i in range(count)], np.int64)
    if not count:
        return []
    x0 = np.full(count, 1 << 30)
    y0 = np.full(count, 1 << 30)
    x1 = np.zeros(count, np.int64)
    y1 = np.zeros(count, np.int64)
    np.minimum.at(x0, roots, starts)
    np.minimum.at(y0, roots, rows)
    np.maximum.at(x1, roots, ends)
    np.maximum.at(y1, roots, rows + 1)
    keep = np.unique(roots)
    return list(
        zip(x0[keep].tolist(), y0[keep].tolist(), x1[keep].tolist(), y1[keep].tolist(), strict=True)
    )


def find_boxes(mask: np.ndarray, dpi: int) -> list[Box]:
    """The checkboxes of an ink mask (rulings already removed), top to bottom, right to left.

    Blobs are taken from the mask grown by one pixel, so that an outline broken by the
    scanner's noise at a corner is still one square; its state is read from the mask.
    """
    low, high = MIN_BOX_IN * dpi, MAX_BOX_IN * dpi
    grown = mask.copy()
    grown[1:] |= mask[:-1]
    grown[:-1] |= mask[1:]
    grown[:, 1:] |= mask[:, :-1]
    grown[:, :-1] |= mask[:, 1:]
    found = []
    for x0, y0, x1, y1 in components(grown):
        width, height = x1 - x0, y1 - y0
        if not low <= height <= high:
            continue
        if 0.75 <= width / height <= 1.33 and width <= high:
            windows = [(x0, y0, x1, y1)]
        elif width > 1.33 * height:  # a box touching a letter: try a square at either end
            windows = [(x0, y0, x0 + height, y1), (x1 - height, y0, x1, y1)]
        else:
            continue
        for window in windows:
            box = _box(grown, mask, window)
            if box is not None:
                found.append(box)
                break
    found.sort(key=lambda b: b.box[1] + b.box[3])
    rows: list[list[Box]] = []
    for box in found:  # boxes whose middles are within half a box height share a row
        if rows and box.box[1] + box.box[3] - sum(rows[-1][-1].box[1::2]) < box.box[3] - box.box[1]:
            rows[-1].append(box)
        else:
            rows.append([box])
    return [box for row in rows for box in sorted(row, key=lambda b: -b.box[0])]


def _box(grown: np.ndarray, mask: np.ndarray, window: tuple[int, int, int, int]) -> Box | None:
    """The checkbox filling ``window`` if its four sides are inked, with its state."""
    x0, y0, x1, y1 = window
    square = grown[y0:y1, x0:x1]
    height, width = square.shape
    edge = max(1, round(min(width, height) / 8))
    sides = (
        square[:edge].any(axis=0).mean(),
        square[-edge:].any(axis=0).mean(),
        square[:, :edge].any(axis=1).mean(),
        square[:, -edge:].any(axis=1).mean(),
    )
    if min(sides) < _SIDE_INKED:
        return None
    inner = mask[y0 + height // 4 : y1 - height // 4, x0 + width // 4 : x1 - width // 4]
    fill = float(inner.mean()) if inner.size else 0.0
    checked = False if fill <= _EMPTY else True if fill >= _MARKED else None
    return Box(window, checked, fill)


OCR_BLOB_PX = 14
"""Median letter-blob height at which Tesseract's ``fas`` model read scanned cards best.

Measured on the scanned example cards (``bench/scan_bench.py``, header keys): crops scaled
so that the median blob is 14 px scored 0.96, 19 px 0.80 and 28 px (300 dpi, unscaled)
0.72; large noisy letters make Tesseract's layout analysis drop whole lines.
"""


def ocr_scale(blobs: list[tuple[int, int, int, int]], dpi: int) -> float:
    """The resize that brings the page's median letter height to :data:`OCR_BLOB_PX`.

    Blobs under 0.03 inch (scanner specks, dots) or over 0.4 inch are not letters.

    >>> ocr_scale([(0, 0, 10, 28)] * 50 + [(0, 0, 2, 3)] * 500, dpi=300)
    0.5
    """
    low, high = 0.03 * dpi, 0.4 * dpi
    heights = sorted(y1 - y0 for _, y0, _, y1 in blobs if low <= y1 - y0 <= high)
    if len(heights) < 20:
        return 1.0
    return min(1.5, max(0.3, OCR_BLOB_PX / heights[len(heights) // 2]))
