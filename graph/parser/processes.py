"""Section 9 (process titles, in order, numbering stripped) and the form filler's block.

Process items are numbered lines (``1-``, ``۱-``, ``1.``); the run that starts at 1 next to
the section's label is taken, after it or, when a PDF moved the label below its items,
right before it. Items written on the label's own line (``۱- ... ۲- ...``) are split.
"""

from __future__ import annotations

import re

from graph.parser.checkboxes import BOXES
from graph.parser.document import Line
from graph.parser.labels import matcher
from graph.parser.sections import _STREAM, clean

MAX_ITEMS = 100
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
        if not m or _STREAM.find(first):
            continue
        n = int(m.group(1))
        if n == 1:
            runs.append([(i, m.group(2))])
        elif runs and int(_ITEM.match(lines[runs[-1][-1][0]].filled[0]).group(1)) == n - 1:
            runs[-1].append((i, m.group(2)))
    after = [r for r in runs if r[0][0] >= label_at]
    before = [r for r in runs if r[-1][0] < label_at]
    run = after[0] if after else (before[-1] if before else [])
    if not run:
        return _unnumbered(lines[label_at + 1 :])
    return [v for _, text in run if (v := clean(text))]


def _unnumbered(lines: list[Line]) -> list[str]:
    """Items listed without numbers (web pages): one per line up to the next printed
    word of the form, a table row or a checkbox."""
    items: list[str] = []
    for line in lines:
        if not line.text:
            continue
        if len(line.filled) > 1 or _STREAM.find(line.text) or any(b in line.text for b in BOXES):
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


def read_filler(lines: list[Line]) -> dict | None:
    """``{"name", "phone", "email", "unit"}`` from the filler block, None when all blank."""
    for i, line in enumerate(lines):
        if matcher("filler", "name").find(line.text):
            block = "\n".join("\t".join(x.filled) for x in lines[i : i + 5])
            hits = matcher("filler").find(block)
            out: dict[str, str | None] = dict.fromkeys(("name", "phone", "email", "unit"))
            for n, hit in enumerate(hits):
                end = hits[n + 1].start if n + 1 < len(hits) else len(block)
                # The value follows the label in its cell (``تلفن: ...``) or, on forms
                # printed without colons, in the next filled cell of the same line.
                cells = block[hit.end : end].split("\n")[0].split("\t")
                value = next((v for c in cells if (v := clean(c))), None)
                if out.get(hit.key) is None:
                    out[hit.key] = value
            return out if any(out.values()) else None
    return None
