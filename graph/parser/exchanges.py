"""Sections 7 and 8: exchanges with other systems of the agency and with other agencies.

Rows are read by what their cells hold, not by fixed positions: text cells give the
names and fields, box cells give the inquiry mode. The reading direction comes from the
column heads (a head row whose names stand right of its inquiry columns is reversed),
and a row whose boxes come before its texts is read reversed whatever the heads said,
because a row split from its heads (a PDF page break) keeps its own order.
"""

from __future__ import annotations

import re

from graph.parser.checkboxes import BOXES, CHECKED, wingdings_to_marks
from graph.parser.compact import CompactRows
from graph.parser.document import Line
from graph.parser.labels import matcher
from graph.parser.records import ExchangeRow
from graph.parser.stream import holds_field_label
from graph.parser.tables import Header, cell_kind, is_header, rows_of
from graph.parser.values import name_of, split_fields

_FEE = re.compile(r"^[\d,٬.\s]+(ریال|تومان)?$|رایگان|ریال")
_NUMBERED = re.compile(r"^\d{1,2}\s*[-–.)]")


def exchange_region(lines: list[Line]) -> tuple[int, int]:
    """Indices of the first and one-past-last line of sections 7-8 (0, 0 when absent)."""
    start = None
    for i, line in enumerate(lines):
        t = line.text
        if not t:
            continue
        if start is None:
            if matcher("exchange_sections").find(t) or (
                is_header(line.cells)  # first: it refuses most lines on their first cell
                and any(h.key in ("fields", "system") for h in matcher("columns").find(t))
                and not holds_field_label(t)
            ):
                start = i
            continue
        if matcher("processes").find(t) or matcher("filler", "name").find(t):
            return start, i
        first = line.filled[0] if line.filled else ""
        if _NUMBERED.match(first) and not matcher("exchange_sections").find(t):
            return start, i
    return (start, len(lines)) if start is not None else (0, 0)


def read_exchanges(
    lines: list[Line], warnings: list[str]
) -> tuple[list[ExchangeRow], list[ExchangeRow]]:
    """Internal (section 7) and external (section 8) exchange rows."""
    start, end = exchange_region(lines)
    internal: list[ExchangeRow] = []
    external: list[ExchangeRow] = []
    kind = "internal"
    header = Header()
    in_header = False
    compact = CompactRows()
    for cells in rows_of(lines[start:end]):
        cells = [box_cell(c) for c in cells]
        text = " ".join(c for c in cells if c)
        if not text:
            continue
        sections = [h for h in matcher("exchange_sections").find(text) if h.key != "section"]
        if sections:
            kind = sections[-1].key
        if compact.feed(cells, kind):
            continue
        if is_header(cells):
            cols = {h.key for h in matcher("columns").find(text)}
            if "agency" in cols or "inquiry_by" in cols:
                kind = "external"
            if not in_header:
                header = Header()
            header.absorb(cells)
            in_header = True
            continue
        in_header = False
        row = read_row(cells, header, kind == "external")
        if row is not None:
            (external if kind == "external" else internal).append(row)
    for kind, row in compact.rows():
        (external if kind == "external" else internal).append(row)
    return internal, external


def box_cell(cell: str) -> str:
    """A table cell with its Wingdings marks as boxes: a lone ``R``/``S`` is a checked box,
    and so is one before an option word in a cell that already holds a box.

    >>> box_cell("R") == CHECKED
    True
    """
    if cell in ("R", "S"):
        return CHECKED
    if any(b in cell for b in BOXES):
        return wingdings_to_marks(cell)
    return cell


def read_row(cells: list[str], header: Header, external: bool) -> ExchangeRow | None:
    """One table row as an exchange, or None for a blank row."""
    kinds = [cell_kind(c) for c in cells]
    texts = [i for i, k in enumerate(kinds) if k in ("text", "blank")]
    if not any(kinds[i] == "text" for i in texts):
        return None
    boxes = [i for i, k in enumerate(kinds) if k in ("box", "mode")]
    if boxes:
        rev = boxes[0] < texts[0]
    else:
        rev = bool(header.reversed)
    order = list(reversed(texts)) if rev else texts
    names = header.names(external)
    values: dict[str, str | None] = {}
    if len(order) < len(names) and header.positions and all(n in header.positions for n in names):
        for i in order:
            col = min(names, key=lambda n: abs(header.positions[n] - i))
            values.setdefault(col, cells[i])
    else:
        extra = []
        for n, i in enumerate(order):
            if n < len(names):
                values[names[n]] = cells[i]
            else:
                extra.append(cells[i])
        if extra and external and _FEE.search(extra[-1]):
            values["fee"] = extra.pop()
        if extra:
            values["fields"] = " ، ".join(filter(None, [values.get("fields"), *extra]))
    box_cells = [cells[i] for i in (reversed(boxes) if rev else boxes)]
    row: ExchangeRow = {
        "system": name_of(values.get("system")),
        "fields": split_fields(name_of(values.get("fields"))),
        "inquiry": inquiry_of(box_cells, header),
    }
    if external:
        fee = name_of(values.get("fee"))
        row = {"agency": name_of(values.get("agency")), **row, "fee": fee}
        if not row["agency"] and not row["system"] and not row["fields"]:
            return None
    elif not row["system"] and not row["fields"]:
        return None
    return row


def inquiry_of(box_cells: list[str], header: Header) -> str | None:
    """The inquiry mode of the first checked box, by its word or its column."""
    slots = header.inquiries if header.inquiries else ["online", "batch", "non_electronic"]
    unlabeled = 0
    words = matcher("inquiry_words")
    for cell in box_cells:
        marks = [i for i, ch in enumerate(cell) if ch in BOXES]
        if not marks:
            continue
        starts_with_box = cell.lstrip()[:1] in BOXES
        for n, pos in enumerate(marks):
            if starts_with_box:
                nxt = marks[n + 1] if n + 1 < len(marks) else len(cell)
                label = cell[pos + 1 : nxt]
            else:
                prev = marks[n - 1] + 1 if n else 0
                label = cell[prev:pos]
            hit = words.first(label)
            mode = hit.key if hit else None
            if mode is None:
                mode = slots[unlabeled] if unlabeled < len(slots) else None
                unlabeled += 1
            if cell[pos] == CHECKED and mode:
                return mode
    return None
