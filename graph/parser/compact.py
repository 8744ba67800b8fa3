"""Compact web renderings of the exchange sections: rows of ``label : value`` pairs.

Web pages of some agencies print each exchange as ``نام سامانه: شاهکار | فیلدهای مورد
تبادل: کد ملی | نوع استعلام: برخط`` on one line, or as one ``label : value`` per line with
a blank line (or a repeated label) between exchanges. Single fields in the same style
(``عنوان خدمت : ...``) need nothing special: the label stream of
:mod:`graph.parser.sections` reads them.
"""

from __future__ import annotations

import re

from graph.parser.labels import matcher
from graph.parser.records import ExchangeRow
from graph.parser.values import clean, split_fields

_SEP = re.compile(r"^\s*[:：]\s*")
KEYS = ("agency", "system", "fields", "fee", "inquiry")


def pairs(cells: list[str]) -> dict[str, str]:
    """``label : value`` pairs of exchange columns found in the cells of one line."""
    out: dict[str, str] = {}
    for cell in cells:
        hits = [h for h in matcher("columns").find(cell) if h.key in KEYS]
        for n, hit in enumerate(hits):
            end = hits[n + 1].start if n + 1 < len(hits) else len(cell)
            tail = cell[hit.end : end]
            if not _SEP.match(tail):
                continue
            value = _SEP.sub("", tail).strip(" |")
            if value:
                out.setdefault(hit.key, value)
    return out


class CompactRows:
    """Collects compact exchange records while the table reader walks the rows."""

    def __init__(self) -> None:
        self._done: list[tuple[str, dict[str, str]]] = []
        self._open: dict[str, str] = {}
        self._kind = "internal"

    def feed(self, cells: list[str], kind: str) -> bool:
        """Take the line if it is made of ``label : value`` pairs; say whether it was."""
        found = pairs(cells)
        if not found:
            self._flush()
            return False
        if kind != self._kind or any(k in self._open for k in found):
            self._flush()
        self._kind = kind
        self._open.update(found)
        return True

    def _flush(self) -> None:
        if self._open:
            self._done.append((self._kind, self._open))
            self._open = {}

    def rows(self) -> list[tuple[str, ExchangeRow]]:
        """Finished records as exchange rows."""
        self._flush()
        out: list[tuple[str, ExchangeRow]] = []
        for kind, rec in self._done:
            mode = matcher("inquiry_words").first(rec.get("inquiry", ""))
            row: ExchangeRow = {
                "system": clean(rec.get("system")),
                "fields": split_fields(rec.get("fields")),
                "inquiry": mode.key if mode else None,
            }
            if kind == "external":
                row = {"agency": clean(rec.get("agency")), **row, "fee": clean(rec.get("fee"))}
            if any(v for k, v in row.items() if k != "inquiry"):
                out.append((kind, row))
        return out
