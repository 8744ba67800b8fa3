"""Exchange cell values as stored: field lists split on their separators, blank cells as None.

Both readers of the exchange sections (the tables of :mod:`graph.parser.exchanges` and the
``label : value`` records of :mod:`graph.parser.compact`) store cells the same way; the
rule lives here, below both, so that neither imports the other.
"""

from __future__ import annotations

import re

from graph.parser.sections import clean

_SPLIT = re.compile(r"\s*[،,؛;]\s*|\s+-\s+")
_SPLIT_OR_BRACKET = re.compile(r"[()]|" + _SPLIT.pattern)
BLANK_VALUES = frozenset({"ندارد", "-", "--", "...", "…", ". . .", "ندارند", "ـ"})


def split_fields(cell: str | None) -> list[str]:
    """A fields cell split where separators divide independent names.

    >>> split_fields("اطلاعات هویتی، شاخص های عملکردی")
    ['اطلاعات هویتی', 'شاخص های عملکردی']
    >>> split_fields("مسیر ارزیابی (سبز، زرد)، کد کالا")
    ['مسیر ارزیابی (سبز، زرد)', 'کد کالا']
    >>> split_fields(None)
    []
    """
    if not cell:
        return []
    parts = [clean(p) for p in _split_outside_brackets(cell)]
    return [p for p in parts if p]


def _split_outside_brackets(cell: str) -> list[str]:
    """Separators inside brackets list the parts of one field (``مسیر (سبز، زرد)``)."""
    if "(" not in cell:
        return _SPLIT.split(cell)
    parts, start, depth = [], 0, 0
    for m in _SPLIT_OR_BRACKET.finditer(cell):
        token = m.group()
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(cell[start : m.start()])
            start = m.end()
    parts.append(cell[start:])
    return parts


def name_of(cell: str | None) -> str | None:
    """A name cell as stored: None for the blank words of the form (ندارد, -, ...).

    >>> name_of("ندارد") is None, name_of(" سامانه شاهکار ")
    (True, 'سامانه شاهکار')
    """
    if not cell or cell in BLANK_VALUES:
        return None
    return clean(cell)
