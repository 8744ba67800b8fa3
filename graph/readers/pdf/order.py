"""One line of a PDF page, put into logical (reading) order from where its glyphs sit.

PDF producers write Persian glyphs in visual order (left to right as drawn, what
LibreOffice and Chromium do) or in logical order (what the text means, what Word does), and
some extractors reorder again. The one thing every producer gets right is where each glyph
is drawn, so the reader never trusts the order of the content stream: it sorts a line's
glyphs left to right and undoes the Unicode bidirectional algorithm for a right-to-left
paragraph. That inversion needs only three facts per glyph, taken from
:func:`unicodedata.bidirectional` (UAX #9 classes):

* right-to-left letters (R, AL) are shown reversed, so they are read right to left;
* Latin letters (L) and numbers (EN, AN, with the separators between their digits: ES, CS,
  ET) keep their left-to-right order, and a run of them is read as a whole;
* neutrals (spaces, punctuation) between two Latin-side items belong to that run, any
  others to the right-to-left text, where a mirrored bracket is shown mirrored (UAX #9 L4).

A glyph that stands for several characters (a lam-alef ligature mapped to «لا») is one unit
whose characters are already in logical order, so a ligature can never come out as «ال».
Presentation forms are folded after ordering (:func:`graph.text.fold_presentation_forms`).

>>> logical(["ISO", " ", "9001", " ", "ﺖ", "ﻣ", "ﺪ", "ﺧ", ":", "۲"])
'۲:خدمت ISO 9001'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from graph.text import fold_presentation_forms, strip_marks

__all__ = ["logical", "strong_class"]

_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")
_MIRRORED = frozenset("()[]{}<>«»")
_NUMBER = frozenset({"EN", "AN"})
_SEPARATOR = frozenset({"ES", "CS", "ET"})


def strong_class(text: str) -> str:
    """``R`` (right-to-left letter), ``L`` (Latin), ``N`` (number), ``S`` (a separator a
    number can contain) or ``-`` (neutral) for one unit, from its first classed character."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            return "L"
        if kind in _NUMBER:
            return "N"
        if kind in _SEPARATOR:
            return "S"
    return "-"


def _classes(units: Sequence[str]) -> list[str]:
    kinds = [strong_class(u) for u in units]
    # A separator between two digits is part of the number (UAX #9 W4/W5): 1,000  ۱۳۰-۹۱۷
    for i in range(1, len(kinds) - 1):
        if kinds[i] == "S" and kinds[i - 1] == "N" and kinds[i + 1] == "N":
            kinds[i] = "N"
    # A number after Latin text (across neutrals) reads as Latin (W7): "ISO 9001".
    last = "R"
    for i, kind in enumerate(kinds):
        if kind in ("R", "L"):
            last = kind
        elif kind == "N" and last == "L":
            kinds[i] = "L"
    return ["-" if k == "S" else k for k in kinds]


def _trails(unit: str) -> bool:
    """A mark that ends a Latin word drawn on its right, glued to it: the producer's bidi
    ran over the whole paragraph, where the next line went on in Latin (a wrapped URL)."""
    return unit in ("/", ".", "-", "_", ":", "@")


def _ltr_runs(kinds: list[str], units: Sequence[str]) -> list[tuple[int, int]]:
    """Visual index ranges [start, end) read left to right as one run: a number, or Latin
    words with the neutrals between them."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(kinds)
    while i < n:
        kind = kinds[i]
        if kind not in ("L", "N"):
            i += 1
            continue
        end = i + 1
        while end < n:
            if kinds[end] == kind:
                end += 1
                continue
            j = end
            while kind == "L" and j < n and kinds[j] == "-" and units[j] not in _MIRRORED:
                j += 1  # brackets pair up on their own (UAX #9 N0): never joined through
            if j > end and j < n and kinds[j] == "L":
                end = j + 1
                continue
            break
        if (
            kind == "L"
            and end < n
            and _trails(units[end])
            and units[end + 1 : end + 2] in ([], [" "])
        ):
            end += 1  # "x.ir/" wrapped before its next line: the producer saw Latin after it
        runs.append((i, end))
        i = end
    return runs


def logical(units: Sequence[str]) -> str:
    """The reading-order text of a right-to-left line given its units left to right.

    >>> logical(["ﺖ", "ﻤ", "ﻠ", "ﺳ"])
    'سلمت'
    >>> logical(["(", "ف", "ل", "ا", ")", " ", "ن", "ا", "و", "ن", "ع"])
    'عنوان (الف)'
    >>> logical(list("https://x.ir/"))  # a URL line of a wrapped cell keeps its slash
    'https://x.ir/'
    """
    if strip_marks(joined := "".join(units)) != joined:  # rare: bidi controls drawn
        units = [u for u in (strip_marks(u) for u in units) if u]
    kinds = _classes(units)
    runs = dict(_ltr_runs(kinds, units))
    pieces: list[str] = []
    i = 0
    while i < len(units):
        if i in runs:
            pieces.append("".join(units[i : runs[i]]))
            i = runs[i]
        else:
            pieces.append(units[i].translate(_MIRROR) if kinds[i] == "-" else units[i])
            i += 1
    return _pair_brackets(fold_presentation_forms("".join(reversed(pieces))))


_OPEN = dict(zip("()[]{}<>«»", "(([[{{<<««", strict=True))
_CLOSE = dict(zip("()[]{}<>«»", "))]]}}>>»»", strict=True))


# A pair holding nothing or a tick, a typed checkbox: "[ ]", "[x]", "( )".
_EMPTY_PAIR = re.compile(r"([\[\]])( *[xX×✓✔]? *)[\[\]]|([()])( *)[()]")


def _pair_brackets(text: str) -> str:
    """Turn each bracket the way its neighbours say it faces.

    A bracket's code point in a PDF is often that of the mirrored glyph that was drawn
    (Chromium maps both of ``(G2C)`` to ``)``), so after ordering it can face the wrong way.
    Where the text around it is clear -- a word starts after it and a space or the line's
    start is before it, or the reverse -- that decides; elsewhere it is left alone.

    >>> _pair_brackets("خدمت (G2C( و (الف) ] [ ملی [x[ استانی")
    'خدمت (G2C) و (الف) [ ] ملی [x] استانی'
    """
    if not any(ch in _OPEN for ch in text):
        return text
    text = _EMPTY_PAIR.sub(lambda m: "[" + m[2] + "]" if m[1] else "(" + m[4] + ")", text)
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch not in _OPEN:
            continue
        before = chars[i - 1] if i else " "
        after = chars[i + 1] if i + 1 < len(chars) else " "
        if before.isspace() and not after.isspace() and after not in _OPEN:
            chars[i] = _OPEN[ch]
        elif after.isspace() and not before.isspace() and before not in _OPEN:
            chars[i] = _CLOSE[ch]
    return "".join(chars)
