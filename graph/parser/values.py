"""Exchange cell values as stored: field lists split on their separators, blank cells as None.

Both readers of the exchange sections (the tables of :mod:`graph.parser.exchanges` and the
``label : value`` records of :mod:`graph.parser.compact`) store cells the same way; the
rule lives here, below both, so that neither imports the other.
"""

from __future__ import annotations

import re

from graph.parser.sections import clean

_SPLIT = re.compile(r"\s*[،,؛;]\s*|\s+-\s+")
BLANK_VALUES = frozenset({"ندارد", "-", "--", "...", "…", ". . .", "ندارند", "ـ"})


def split_fields(cell: str | None) -> list[str]:
    """A fields cell split where separators divide independent names.

    >>> split_fields("اطلاعات هویتی، شاخص های عملکردی")
    ['اطلاعات هویتی', 'شاخص های عملکردی']
    >>> split_fields(None)
    []
    """
    if not cell:
        return []
    parts = [clean(p) for p in _SPLIT.split(cell)]
    return [p for p in parts if p]


def name_of(cell: str | None) -> str | None:
    """A name cell as stored: None for the blank words of the form (ندارد, -, ...).

    >>> name_of("ندارد") is None, name_of(" سامانه شاهکار ")
    (True, 'سامانه شاهکار')
    """
    if not cell or cell in BLANK_VALUES:
        return None
    return clean(cell)
