"""Section 9 (process titles, in order, numbering stripped) and the form filler's block.

Process items are numbered lines (``1-``, ``۱-``, ``1.``); the run that starts at 1 next to
the section's label is taken, after it or, when a PDF moved the label below its items,
right before it. Items written on the label's own line (``۱- ... ۲- ...``) are split.
"""

from __future__ import annotations

import re

from graph.parser.checkboxes import BOXES
from graph.parser.document import Line
from graph.parser.labels import Matcher, matcher
from graph.parser.stream import STREAM
from graph.parser.values import clean

MAX_ITEMS = 100
MAX_WRAP = 3
_NUMBER_ONLY = re.compile(r"^\d{1,2}\s*[-–.)]?\s*$")
_ITEM = re.compile(r"^(\d{1,2})\s*[-–.)]\s*(\S.*)$")
_INLINE = re.compile(r"(?:^|\s)(\d{1,2})\s*[-–]\s*")


def read_processes(lines: list[Line]) -> list[str]:
    label_at = None
    for i, line in enumerate(lines):
        if matcher("processes").find(line.text):
            label_at = i
            break
    if label_at is None:
        return []
    inline = _inline_items(lines[label_at])
    if inline:
        return inline
    runs: list[list[tuple[int, str]]] = []
    for i, line in enumerate(lines):
        first = line.filled[0] if line.filled else ""
        m = _ITEM.match(first)
        if not m or STREAM.find(first):
            continue
        n = int(m.group(1))
        if n == 1:
            runs.append([(i, m.group(2))])
        elif runs and _item_number(lines[runs[-1][-1][0]]) == n - 1:
            runs[-1].append((i, m.group(2)))
    after = [r for r in runs if r[0][0] >= label_at]
    before = [r for r in runs if r[-1][0] < label_at]
    run = after[0] if after else (before[-1] if before else [])
    if not run:
        return _unnumbered(lines[label_at + 1 :])
    return [v for i, text in run if (v := clean(_with_wrapped(lines, i, text)))]


def _item_number(line: Line) -> int | None:
    """The number of the item that ``line``'s first cell opens (``2- ...``), if any."""
    m = _ITEM.match(line.filled[0]) if line.filled else None
    return int(m.group(1)) if m else None


def _with_wrapped(lines: list[Line], at: int, text: str) -> str:
    """An item with the lines it wrapped onto: the unnumbered plain lines right below it
    (no blank line between, no label, box or second cell), as PDF and text exports break
    a long step."""
    parts = [text]
    for line in lines[at + 1 : at + 1 + MAX_WRAP]:
        if len(line.filled) != 1 or _ITEM.match(line.filled[0]) or _NUMBER_ONLY.match(line.text):
            break
        if STREAM.find(line.text) or any(b in line.text for b in BOXES):
            break
        parts.append(line.text)
    return " ".join(parts)


def _unnumbered(lines: list[Line]) -> list[str]:
    """Items listed without numbers (web pages): one per line up to the next printed
    word of the form, a table row or a checkbox."""
    items: list[str] = []
    for line in lines:
        if not line.text:
            continue
        if len(line.filled) > 1 or STREAM.find(line.text) or any(b in line.text for b in BOXES):
            break
        value = clean(line.text)
        if value:
            items.append(value)
        if len(items) >= MAX_ITEMS:
            break
    return items


def _inline_items(line: Line) -> list[str]:
    text = line.text
    hit = matcher("processes").first(text)
    if not hit:
        return []
    tail = text[hit.end :]
    marks = list(_INLINE.finditer(tail))
    if len(marks) < 1 or int(marks[0].group(1)) != 1:
        return []
    items = []
    for n, m in enumerate(marks):
        end = marks[n + 1].start() if n + 1 < len(marks) else len(tail)
        value = clean(tail[m.end() : end])
        if value:
            items.append(value)
    return items


FILLER_KEYS = ("name", "phone", "email", "unit")
_FILLER_SPAN = 8


def read_filler(lines: list[Line]) -> dict[str, str | None] | None:
    """``{"name", "phone", "email", "unit"}`` from the filler block, None when all blank.

    The block is the run of lines holding the filler's labels, from the name label on; a
    line without one ends it, so a page footer's phone or e-mail below an empty field is
    never the filler's. A value follows its label in the cell (``تلفن: ...``), in the next
    cell of the line (forms printed without colons), or, when a line holds only labels,
    on the line below: the one value under one label (Word plain text) or, cell by cell,
    under a row of label cells (tables).
    """
    start = next((i for i, x in enumerate(lines) if matcher("filler", "name").find(x.text)), None)
    if start is None:
        return None
    labels = matcher("filler")
    out: dict[str, str | None] = dict.fromkeys(FILLER_KEYS)
    filled = [x for x in lines[start : start + _FILLER_SPAN] if x.text]
    n = 0
    while n < len(filled):
        line = filled[n]
        if not labels.find(line.text):
            break
        pending = _filler_line(line, labels, out)
        below = filled[n + 1] if n + 1 < len(filled) else None
        if pending is not None and below is not None and _under(line, below, labels):
            if len(pending) == 1 and len(below.filled) == 1:
                out[pending[0][0]] = clean(below.text)
            else:
                for key, c in pending:
                    if c < len(below.cells) and out[key] is None:
                        out[key] = clean(below.cells[c])
            n += 1
        n += 1
    return out if any(out.values()) else None


def _under(line: Line, below: Line, labels: Matcher) -> bool:
    """Whether ``below`` holds the values of the label-only ``line``: no label of its own,
    and either right under it or (past a table's rule line) cell for cell under it."""
    if labels.find(below.text):
        return False
    return below.number == line.number + 1 or len(below.cells) == len(line.cells) > 1


def _filler_line(
    line: Line, labels: Matcher, out: dict[str, str | None]
) -> list[tuple[str, int]] | None:
    """Read the values beside the labels of ``line`` into ``out``; the labels left without
    a value (key, cell index) when the line holds nothing but labels, else None."""
    pending: list[tuple[str, int]] = []
    for c, cell in enumerate(line.cells):
        hits = labels.find(cell)
        for k, hit in enumerate(hits):
            end = hits[k + 1].start if k + 1 < len(hits) else len(cell)
            value = clean(cell[hit.end : end])
            if value is None and k + 1 == len(hits):
                beside = next((d for d in line.cells[c + 1 :] if d), None)
                if beside and not labels.find(beside):
                    value = clean(beside)
            if value is None:
                pending.append((hit.key, c))
            elif out[hit.key] is None:
                out[hit.key] = value
    values = sum(1 for cell in line.filled if not labels.find(cell))
    only_labels = values == 0 and all(out[k] is None for k, _ in pending)
    return pending if only_labels and pending else None
