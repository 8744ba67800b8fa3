"""One scanned page read into the reader layout: table rows, running text and checkboxes.

The page is straightened, its rulings give the table cells (:mod:`.grid`), its checkboxes
are found and decided from their ink (:mod:`.boxes`) and erased, and every non-empty cell
and every band of running text between tables is cut into its text lines, each read by
Tesseract in one call for the page (:mod:`.tesseract`). The pieces are then written top
to bottom through :class:`~graph.readers.layout.Layout`: a table row as one line of cells
(rightmost cell first), a checkbox as canonical markup in front of the words to its left
(its label, in a right-to-left line), running text as lines.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np

from graph.readers.layout import Layout
from graph.readers.scan.boxes import Box, components, find_boxes, ocr_scale
from graph.readers.scan.grid import Grid, widen
from graph.readers.scan.image import DPI, deskew, ink
from graph.readers.scan.tesseract import Word, read_images

__all__ = ["PageReading", "read_page"]

_BORDER = 12  # white margin around a crop: Tesseract reads edge-touching text badly
_MIN_INK = 30  # pixels of ink below which a crop is empty
# A weak crop is read again as one raw line (no layout analysis: what drops short labels),
# then larger: (multiple of the first size, Tesseract page segmentation mode).
_RETRIES = ((1.0, 13), (1.5, 6))
_WEAK = 4.0  # a reading worth less than four sure letters is read again


# What OCR read, in order: text, a checkbox (its state) or None (a box left undecided).
Token = str | bool | None


class TableRow(NamedTuple):
    """A row of the page's ruled grid: the tokens of each of its cells."""

    top: int
    cells: list[list[Token]]


class TextLine(NamedTuple):
    """A line outside the grid."""

    top: int
    tokens: list[Token]


@dataclass
class PageReading:
    """What one page gave: layout events (replayed by :meth:`write`) and its figures."""

    items: list[TableRow | TextLine] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)
    undecided: int = 0

    @property
    def confidence(self) -> float | None:
        return sum(self.confidences) / len(self.confidences) if self.confidences else None

    def write(self, out: Layout) -> None:
        for item in sorted(self.items, key=lambda item: item.top):
            if isinstance(item, TableRow):
                if not out.in_table:
                    out.start_table()
                out.start_row()
                for tokens in item.cells:
                    out.start_cell()
                    _tokens(out, tokens)
                    out.end_cell()
            else:
                if out.in_table:
                    out.end_table()
                _tokens(out, item.tokens)
                out.brk()
        if out.in_table:
            out.end_table()


def _tokens(out: Layout, tokens: list[Token]) -> None:
    for token in tokens:
        if isinstance(token, bool):
            out.checkbox(token)
        elif isinstance(token, str):
            out.text(f" {token} ")


def read_page(pixels: np.ndarray, binary: str, source: str, timeout: float) -> PageReading:
    """Read one grey page (at :data:`~.image.DPI`) within ``timeout`` seconds of OCR."""
    page = deskew(pixels)
    mask = ink(page)
    grid = Grid.of(mask, DPI)
    rules = widen(grid.rules)
    blobs = components(mask & ~rules)
    boxes = find_boxes(mask & ~rules, DPI)
    clean = page.copy()
    clean[rules] = 255
    text_mask = mask & ~rules
    for box in boxes:
        x0, y0, x1, y1 = box.box
        clean[max(0, y0 - 2) : y1 + 2, max(0, x0 - 2) : x1 + 2] = 255
        text_mask[max(0, y0 - 2) : y1 + 2, max(0, x0 - 2) : x1 + 2] = False

    # Ink keeps its grey levels (letters' smooth edges), paper becomes white: the scanner's
    # noise and the white holes left by erased boxes would otherwise break Tesseract's lines.
    paper = np.where(text_mask, clean, 255).astype(np.uint8)
    regions: list[tuple[int, int, int, int]] = [cell.box for cell in grid.cells]
    covered = np.zeros(page.shape[0], bool)
    for _, y0, _, y1 in regions:
        covered[max(0, y0 - 4) : y1 + 4] = True
    bands = _bands(~covered & text_mask.any(axis=1), page.shape[1])
    crops, owners, origins = [], [], []
    for index, region in enumerate(regions + bands):
        tight = _ink_box(text_mask, region)
        if tight is None:
            continue
        x0, _, x1, _ = tight
        for y0, y1 in _strips(text_mask, tight):
            crops.append(np.pad(paper[y0:y1, x0:x1], _BORDER, constant_values=255))
            owners.append(index)
            origins.append((x0, y0))
    words: list[list[Word]] = [[] for _ in regions + bands]
    found = _read_crops(binary, crops, source, timeout, ocr_scale(blobs, DPI))
    for number, (index, (dx, dy), crop_words) in enumerate(
        zip(owners, origins, found, strict=True)
    ):
        words[index] += [_shift(word, dx, dy, number) for word in crop_words]

    reading = PageReading()
    rows: dict[int, list[tuple[int, list[Token]]]] = {}
    for index, cell in enumerate(grid.cells):
        inside = [b for b in boxes if _inside(b, cell.box)]
        tokens = _content(words[index], inside, reading)
        rows.setdefault(cell.row, []).append((cell.box[1], tokens))
    for cells in rows.values():
        top = min(y for y, _ in cells)
        reading.items.append(TableRow(top, [tokens for _, tokens in cells]))
    for offset, band in enumerate(bands, start=len(regions)):
        inside = [b for b in boxes if _inside(b, band)]
        for top, tokens in _lines(words[offset], inside, reading):
            reading.items.append(TextLine(top, tokens))
    return reading


def _read_crops(
    binary: str, crops: list[np.ndarray], source: str, timeout: float, scale: float
) -> list[list[Word]]:
    """Words of every crop; crops read badly are read again larger, the better reading kept.

    Tesseract's ``fas`` model sometimes returns nothing, or a few low-confidence letters,
    for a short label alone in a cell when it analyses the crop's layout, and reads it well
    as a raw line or at another size; the retries cost a Tesseract start each, on the few
    weak crops only.
    """
    deadline = time.monotonic() + timeout
    found = read_images(binary, crops, source, timeout, scale)
    for factor, psm in _RETRIES:
        weak = [k for k, words in enumerate(found) if _strength(words) < _WEAK]
        if not weak:
            break
        left = deadline - time.monotonic()
        crops_again = [crops[k] for k in weak]
        again = read_images(binary, crops_again, source, left, scale * factor, psm)
        for k, words in zip(weak, again, strict=True):
            if _strength(words) > _strength(found[k]):
                found[k] = words
    return found


def _strength(words: list[Word]) -> float:
    """Letters read, weighted by confidence: how much a reading of a crop says."""
    return sum(w.conf * len(w.text) for w in words)


def _ink_box(
    mask: np.ndarray, region: tuple[int, int, int, int]
) -> tuple[int, int, int, int] | None:
    """The part of ``region`` that holds ink (rows and columns with a few inked pixels).

    Tesseract's layout analysis drops short text in a large, mostly empty, noisy crop, so
    each cell is cut down to its writing; ``None`` when the region is empty.
    """
    x0, y0, x1, y1 = region
    part = mask[y0:y1, x0:x1]
    if part.sum() < _MIN_INK:
        return None
    rows = np.nonzero(part.sum(axis=1) >= 2)[0]
    cols = np.nonzero(part.sum(axis=0) >= 2)[0]
    if not len(rows) or not len(cols):
        return None
    pad = 4
    return (
        max(x0, x0 + int(cols[0]) - pad),
        max(y0, y0 + int(rows[0]) - pad),
        min(x1, x0 + int(cols[-1]) + pad + 1),
        min(y1, y0 + int(rows[-1]) + pad + 1),
    )


def _strips(mask: np.ndarray, box: tuple[int, int, int, int]) -> list[tuple[int, int]]:
    """The text lines of a box, as (top, bottom) rows split at blank gaps.

    Tesseract reads a cell's wrapped lines far better one at a time than as a block when
    erased checkboxes leave wide gaps between words. A strip much thinner than the others
    (a row of dots, a stray mark) joins its nearest neighbour.
    """
    x0, y0, x1, y1 = box
    inked = (mask[y0:y1, x0:x1].sum(axis=1) >= 2).tolist()
    gap = max(2, round(0.02 * DPI))
    strips: list[list[int]] = []
    blank = gap
    for y, on in enumerate(inked):
        if on:
            if strips and blank < gap:
                strips[-1][1] = y + 1
            else:
                strips.append([y, y + 1])
            blank = 0
        else:
            blank += 1
    if not strips:
        return [(y0, y1)]
    tallest = max(b - a for a, b in strips)
    merged: list[list[int]] = []
    for strip in strips:
        if merged and (
            strip[1] - strip[0] < tallest / 3 or merged[-1][1] - merged[-1][0] < tallest / 3
        ):
            merged[-1][1] = strip[1]
        else:
            merged.append(strip)
    pad = 4
    return [(max(y0, y0 + a - pad), min(y1, y0 + b + pad)) for a, b in merged]


def _shift(word: Word, dx: int, dy: int, crop: int) -> Word:
    """A word's box moved from its crop's pixels to the page's; its line named by its crop."""
    return replace(
        word,
        left=word.left + dx - _BORDER,
        top=word.top + dy - _BORDER,
        line=(crop, word.line[0] * 1000 + word.line[1], word.line[2]),
    )


def _bands(rows: np.ndarray, width: int) -> list[tuple[int, int, int, int]]:
    """Full-width strips of running text: runs of inked rows, split at blank gaps."""
    gap = round(0.15 * DPI)
    bands: list[list[int]] = []
    for y in np.nonzero(rows)[0].tolist():
        if bands and y - bands[-1][1] <= gap:
            bands[-1][1] = y
        else:
            bands.append([y, y])
    return [(0, max(0, a - 6), width, b + 7) for a, b in bands if b - a >= 8]


def _inside(box: Box, region: tuple[int, int, int, int]) -> bool:
    cx, cy = (box.box[0] + box.box[2]) / 2, (box.box[1] + box.box[3]) / 2
    return region[0] <= cx < region[2] and region[1] <= cy < region[3]


def _lines(
    words: list[Word], boxes: list[Box], reading: PageReading
) -> list[tuple[int, list[Token]]]:
    """A region's lines top to bottom (page y, tokens), checkboxes placed among words."""
    parts: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        parts.setdefault(word.line, []).append(word)
        reading.confidences.append(word.conf)
    placed: list[tuple[float, float, float, list[Word]]] = []
    for row in _rows(list(parts.values())):
        top = min(w.top for w in row)
        bottom = max(w.top + w.height for w in row)
        placed.append((top, bottom, (top + bottom) / 2, row))
    pending: dict[int, list[Box]] = {}
    loose: list[Box] = []
    for box in boxes:
        cy = (box.box[1] + box.box[3]) / 2
        near = [i for i, (top, bottom, _, _) in enumerate(placed) if top - 10 <= cy <= bottom + 10]
        if near:
            best = min(near, key=lambda i: abs(placed[i][2] - cy))
            pending.setdefault(best, []).append(box)
        else:
            loose.append(box)
    out: list[tuple[int, list[Token]]] = []
    for index, (line_top, _, _, line) in enumerate(placed):
        out.append((int(line_top), _merge(line, pending.get(index, []), reading)))
    for box in loose:
        out.append((box.box[1], _merge([], [box], reading)))
    out.sort(key=lambda item: item[0])
    return out


def _rows(parts: list[list[Word]]) -> list[list[Word]]:
    """Tesseract's lines joined into visual rows, each row's parts right to left.

    Tesseract may cut one printed line into several (at a wide gap between a label and its
    value); parts whose middles fall within a row's height are one row, read from the
    rightmost part, and each part keeps Tesseract's own (logical) word order.
    """
    rows: list[list[list[Word]]] = []
    for part in sorted(parts, key=lambda ws: min(w.top for w in ws)):
        middle = (min(w.top for w in part) + max(w.top + w.height for w in part)) / 2
        if rows:
            row = [w for p in rows[-1] for w in p]
            if min(w.top for w in row) <= middle <= max(w.top + w.height for w in row):
                rows[-1].append(part)
                continue
        rows.append([part])
    return [
        [w for p in sorted(row, key=lambda ws: -max(w.left + w.width for w in ws)) for w in p]
        for row in rows
    ]


def _merge(line: list[Word], boxes: list[Box], reading: PageReading) -> list[Token]:
    """Words in Tesseract's (logical) order; a box goes before the first word left of it."""
    tokens: list[Token] = []
    boxes = sorted(boxes, key=lambda b: -b.box[0])
    for word in line:
        centre = word.left + word.width / 2
        while boxes and centre < (boxes[0].box[0] + boxes[0].box[2]) / 2:
            tokens.append(_state(boxes.pop(0), reading))
        tokens.append(word.text)
    tokens.extend(_state(box, reading) for box in boxes)
    return tokens


def _state(box: Box, reading: PageReading) -> Token:
    if box.checked is None:
        reading.undecided += 1
    return box.checked


def _content(words: list[Word], boxes: list[Box], reading: PageReading) -> list[Token]:
    """A cell's tokens: its lines joined (a line break in a cell is a space)."""
    return [token for _, tokens in _lines(words, boxes, reading) for token in tokens]
