"""Files that hold several cards: where each card of a bundle begins.

Agencies often publish all their service cards in one PDF or Word file, a card after
another, each with its own form, appendix and licence tables. Read as one card, a bundle
would mix their values silently. A card begins where its title label stands with the
service ID label close below it (within :data:`_NEAR` lines); the appendix that explains
the labels prints them the same way, one definition a line, so a title found inside an
appendix (after the appendix's heading, before the next form's heading or numbered title)
never starts a card. The heading lines just above a title (the form's name, «بسمه تعالی»,
«ضمیمه ۱») go with the card they head.
"""

from __future__ import annotations

import re

from graph.parser.document import Line
from graph.parser.labels import matcher

__all__ = ["card_starts"]

_NEAR = 3  # lines from a title label to its service ID label
_BACK = 6  # heading lines above a title that still belong to its card
_NUMBERED = re.compile(r"^\d{1,2}\s*[-–.)]")
_FORM_NAME = ("شناسنامه خدمت",)
# What stands above a form's first row: its name, the invocation, the annex number.
_TOP = ("شناسنامه خدمت", "بسمه تعالی", "باسمه تعالی", "ضمیمه")


def _label_at_start(line: Line, key: str) -> bool:
    for cell in line.filled:
        hit = matcher("fields").first(cell)
        if hit is not None and hit.key == key and hit.start <= 4:
            return True
    return False


def _numbered_title(line: Line) -> bool:
    return any(_NUMBERED.match(c) for c in line.filled) and _label_at_start(line, "title")


def _form_heading(line: Line) -> bool:
    return len(line.filled) == 1 and any(name in line.text for name in _FORM_NAME)


def card_starts(lines: list[Line]) -> list[int]:
    """Indexes of the lines where each card of ``lines`` begins: ``[0]`` for one card.

    >>> from graph.parser.document import split_lines
    >>> one = "عنوان خدمت: الف\\nشناسه خدمت: 1\\nشرح خدمت: ب"
    >>> card_starts(split_lines(one)), card_starts(split_lines(one + "\\n" + one))
    ([0], [0, 3])
    """
    appendix = matcher("appendix")
    starts: list[int] = []
    in_appendix = False
    for i, line in enumerate(lines):
        if not line.text:
            continue
        if appendix.first(line.text):
            in_appendix = True
            continue
        if in_appendix and (_form_heading(line) or _numbered_title(line)):
            in_appendix = False
        if in_appendix or not _label_at_start(line, "title"):
            continue
        if any(_label_at_start(near, "service_id") for near in lines[i : i + _NEAR + 1]):
            starts.append(i)
    if len(starts) <= 1:
        return [0]
    cuts = [0]
    for start in starts[1:]:
        cut = start
        while cut > max(cuts[-1] + 1, start - _BACK) and _heads_a_form(lines[cut - 1]):
            cut -= 1
        cuts.append(cut)
    return cuts


def _heads_a_form(line: Line) -> bool:
    """An empty line, or a short one-cell line naming the form (never a value's line)."""
    if not line.text:
        return True
    return (
        len(line.filled) == 1 and len(line.text.split()) <= 8 and any(t in line.text for t in _TOP)
    )
