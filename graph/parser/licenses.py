"""The licence forms (شناسنامه مجوزهای صادره): form 1 (licences issued) and form 2
(inquiries of other agencies a licence needs).

Columns are found by their heads and a sub-head line below them; a value belongs to the
column whose head (or sub-head) stands at its cell index, so reversed tables read the
same. A row holding only its number and the form's printed type word is not a licence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graph.parser.checkboxes import BOXES, CHECKED
from graph.parser.document import Line
from graph.parser.labels import matcher, vocabulary
from graph.parser.records import ExchangeRow, LicenseRow
from graph.parser.values import clean

_ROW_ONLY = frozenset({"row"})
_ROW_NUMBER = re.compile(r"^\d{1,3}$")


def read_licenses(lines: list[Line]) -> list[LicenseRow]:
    out: list[LicenseRow] = []
    i = 0
    while i < len(lines):
        text = lines[i].text
        form = (
            2
            if matcher("licenses", "form2").find(text)
            else (1 if matcher("licenses", "form1").find(text) else 0)
        )
        if not form or len(lines[i].filled) < 3:
            i += 1
            continue
        columns = _columns(lines[i].cells)
        sub_cells = lines[i + 1].cells if i + 1 < len(lines) else []
        sub = _columns(sub_cells)
        i += 2
        while i < len(lines) and len(lines[i].filled) >= 1 and "*" not in lines[i].text[:3]:
            row = _row(_aligned(lines[i].cells, columns), columns, sub, form, sub_cells)
            if row:
                out.append(row)
            i += 1
    return out


def _aligned(cells: list[str], columns: dict[int, str]) -> list[str]:
    """A row moved back under its heads when its number stands off the «ردیف» column
    (an extra or a missing empty cell before it, left by merged cells of the page).

    >>> _aligned(["", "1", "پروانه", "صدور"], {0: "row", 1: "title", 2: "type"})
    ['1', 'پروانه', 'صدور']
    >>> _aligned(["پروانه", "صدور", "1"], {0: "title", 1: "type", 3: "row"})
    ['', 'پروانه', 'صدور', '1']
    """
    at = next((n for n, key in columns.items() if key == "row"), None)
    number = next((n for n, c in enumerate(cells) if c), None)
    if at is None or number is None:
        return cells
    if not _ROW_NUMBER.match(cells[number]):  # a reversed row: its number comes last
        number = max(n for n, c in enumerate(cells) if c)
        if not _ROW_NUMBER.match(cells[number]):
            return cells
    shift = number - at
    if shift > 0 and not any(cells[:shift]):
        return cells[shift:]
    if shift < 0:
        return [""] * -shift + cells
    return cells


def _columns(cells: list[str]) -> dict[int, str]:
    cols = {}
    for n, cell in enumerate(cells):
        hit = matcher("licenses", "columns").first(cell) if cell else None
        if hit:
            cols[n] = hit.key
    return cols


def _row(
    cells: list[str],
    columns: dict[int, str],
    sub: dict[int, str],
    form: int,
    sub_cells: Sequence[str] = (),
) -> LicenseRow | None:
    row: LicenseRow = {"form": form}
    types = set(vocabulary()["licenses"]["type_words"])
    for n, cell in enumerate(cells):
        if not cell:
            continue
        key = sub.get(n) or columns.get(n)
        if key is None:
            left = [k for k in columns if k <= n]
            key = columns[max(left)] if left else None
        if key is None or key == "row":
            continue
        if key == "process_type":
            key = "inquiry"
        if key == "inquired_agency":
            pass
        value = clean(cell) if not any(b in cell for b in BOXES) else _ticked(cell, n, sub_cells)
        if not value:
            continue
        if key == "applicants":
            row.setdefault("applicants", []).append(value)
        else:
            row.setdefault(key, value)
    if "applicants" in row:  # in the form's order, whichever way the table was read
        order = vocabulary()["licenses"]["columns"]["applicants"]
        row["applicants"].sort(key=lambda a: order.index(a) if a in order else len(order))
    meaningful = {k for k in row if k != "form"}
    if not meaningful or (meaningful == {"type"} and row["type"] in types):
        return None
    if form == 2 and "inquired_agency" not in row:
        return None
    return row


def _ticked(cell: str, n: int, sub_cells: Sequence[str]) -> str | None:
    """A box cell's value: the option printed above it (``حقیقی``, ``الکترونیکی``) when
    checked, else nothing."""
    if CHECKED not in cell:
        return None
    head = clean(sub_cells[n]) if n < len(sub_cells) else None
    return head or "✓"


def license_exchanges(licenses: list[LicenseRow], external: list[ExchangeRow]) -> list[ExchangeRow]:
    """Form 2 rows that section 8 does not already list, as external exchanges."""
    from graph.text import match_key

    listed = {
        (match_key(x.get("agency")), match_key(f)) for x in external for f in x.get("fields", [])
    }
    added: list[ExchangeRow] = []
    for lic in licenses:
        if lic.get("form") != 2:
            continue
        agency, item = lic.get("inquired_agency"), lic.get("inquiry")
        if (match_key(agency), match_key(item)) in listed:
            continue
        process = match_key(lic.get("process"))
        added.append(
            {
                "agency": agency,
                "system": None,
                "fields": [item] if item else [],
                "inquiry": "non_electronic" if process.startswith("غیر") else None,
                "fee": lic.get("fee"),
            }
        )
        listed.add((match_key(agency), match_key(item)))
    return added
