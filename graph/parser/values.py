"""Values as stored: cleaned of the form's noise, field lists split on their separators,
blank cells as None.

Every reader of the card cleans its values the same way (:func:`clean`); both readers of
the exchange sections (the tables of :mod:`graph.parser.exchanges` and the
``label : value`` records of :mod:`graph.parser.compact`) store cells the same way. The
rules live here, below all of them, so that none imports another.
"""

from __future__ import annotations

import re

from graph.parser.checkboxes import BOXES, strip_marks_and_options
from graph.parser.labels import GROUP_FIELDS, matcher, per_card

EMPTY = re.compile(r"^[\s\-–_.…:؛,،*/\\|()]*$")
_TRAILING_NUMBER = re.compile(r"\s+\d{1,2}\s*[-–]\s*$")
_EDGES = " :：;؛-–,،.\"'«»"
_RECIPIENT_PHRASE = re.compile(
    r"\d[\d,]*[\s\u200c]*خدمت[\s\u200c]*گیرندگان[\s\u200c]*در[\s:]*"
    r"(?:[\s\ue000\ue001]*(?:ماه|فصل|سال)(?![\w]))*"
)
_SPLIT = re.compile(r"\s*[،,؛;]\s*|\s+-\s+")
_SPLIT_OR_BRACKET = re.compile(r"[()]|" + _SPLIT.pattern)
BLANK_VALUES = frozenset({"ندارد", "-", "--", "...", "…", ". . .", "ندارند", "ـ"})


@per_card
def clean(text: str | None) -> str | None:
    """A value as stored: no form noise, boxes or edge punctuation; None when empty."""
    if not text:
        return None
    text = _RECIPIENT_PHRASE.sub(" ", text)
    noise = matcher("noise").find(text)
    for hit in reversed(noise):
        text = text[: hit.start] + " " + text[hit.end :]
    if any(b in text for b in BOXES):
        text = strip_marks_and_options(text, *GROUP_FIELDS)
    text = _TRAILING_NUMBER.sub("", " ".join(text.split()))
    text = text.strip(_EDGES).strip()
    if text.startswith("(") and text.count("(") < text.count(")") + 0 and text.endswith(")"):
        text = text[1:-1].strip()
    return None if EMPTY.match(text) else text


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
