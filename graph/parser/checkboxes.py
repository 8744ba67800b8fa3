"""Checkbox encodings and checkbox groups.

Every encoding a card can carry is turned into one of two private-use characters before
anything else reads the text: :data:`CHECKED` and :data:`UNCHECKED`. Then a group (the
options printed after a label, each with its box) is read by pairing each option word with
its box.

>>> to_marks('<input checked="" type="checkbox"/> ملی <input type="checkbox"/> استانی') == (
...     CHECKED + " ملی " + UNCHECKED + " استانی")
True
>>> read_group(CHECKED + " ملی " + UNCHECKED + " استانی", "levels").checked
['national']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.parser.labels import Hit, matcher, vocabulary

CHECKED = "\ue001"
UNCHECKED = "\ue000"
BOXES = CHECKED + UNCHECKED

_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
# Two passes without a Python call per box: checked inputs first, then the others.
_CHECKED_INPUT = re.compile(r"<input\b[^>]*?\bchecked\b[^>]*>", re.IGNORECASE)
_GLYPHS = str.maketrans(dict.fromkeys("☒☑■✓✔⊠▣", CHECKED) | dict.fromkeys("☐□£❑❒▢", UNCHECKED))
BOX_MARK = re.compile(f"[{BOXES}]")
_GLYPH = re.compile("[☒☑■✓✔⊠▣☐□£❑❒▢]")
_BRACKETS = re.compile(r"\[\s*[xX×✓*]\s*\]|\(\s*[xX×*]\s*\)|\[\s*\]")
# Form exports that print each option as ``option : True`` / ``option : False``
# (``option : True`` or, in a table, the option's cell and a True/False cell beside it).
_TRUTH = re.compile(r"([^\t\n:：|،,؛]{1,80}?)[ \t]*[:：\t][ \t]*(true|false)\b", re.IGNORECASE)
# Wingdings leftovers: a bare R or S (checked) right before an option word.
_WINGDINGS = re.compile(r"(?<![\w.\-])[RS](?=[ \t\u00a0]*[\u0600-\u06ff])")


def to_marks(text: str) -> str:
    """Replace every checkbox encoding that cannot be mistaken for text by a mark."""
    if "<" in text:
        text = _INPUT.sub(UNCHECKED, _CHECKED_INPUT.sub(CHECKED, text))
    if _GLYPH.search(text):  # translate() looks up every character: slow on a whole card
        text = text.translate(_GLYPHS)
    if "rue" in text or "alse" in text or "RUE" in text or "ALSE" in text:
        text = _TRUTH.sub(_truth_mark, text)
    if "[" in text or "(" in text:
        text = _BRACKETS.sub(lambda m: UNCHECKED if m.group().strip("[] ") == "" else CHECKED, text)
    return text


def _truth_mark(m: re.Match[str]) -> str:
    """``option : True`` -> a checked box before the option (``False``: unchecked).

    >>> _TRUTH.sub(_truth_mark, "حاکمیتی : True") == CHECKED + " حاکمیتی"
    True
    """
    mark = CHECKED if m.group(2).lower() == "true" else UNCHECKED
    return f"{mark} {m.group(1).strip()}"


def wingdings_to_marks(text: str) -> str:
    """Turn a bare ``R``/``S`` into a checked mark where an option word follows it.

    Only called on the text of a checkbox group, so ``(G2C)`` or ``Batch`` elsewhere
    are never read as boxes.

    >>> wingdings_to_marks("R ملی £ استانی") == CHECKED + " ملی £ استانی"
    True
    """
    if "R" not in text and "S" not in text:
        return text
    return _WINGDINGS.sub(CHECKED, text)


@dataclass
class Group:
    """What a checkbox group says: options seen, their state, and whether boxes exist."""

    seen: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    boxes: int = 0
    hits: tuple[Hit, ...] = ()

    @property
    def complete(self) -> bool:
        return set(self.seen) >= set(vocabulary()["groups"][self.name])

    name: str = ""


def read_group(text: str, name: str) -> Group:
    """Pair each option word of group ``name`` in ``text`` with its box.

    A box belongs to the option right after it; when boxes trail their words (the group
    starts with a word and ends with a box, or has one box more than words with one at
    the end) each box belongs to the word before it.
    """
    text = wingdings_to_marks(text)
    hits = matcher("groups", name).find(text)
    group = Group(name=name, hits=hits)
    group.boxes = sum(text.count(b) for b in BOXES)
    if not hits:
        return group
    box_pos = [m.start() for m in BOX_MARK.finditer(text)]
    trailing = (
        bool(box_pos)
        and box_pos[-1] > hits[-1].end
        and (box_pos[0] > hits[0].start or len(box_pos) == len(hits) + 1)
    )
    for n, hit in enumerate(hits):
        group.seen.append(hit.key)
        if trailing:
            limit = hits[n + 1].start if n + 1 < len(hits) else len(text)
            own = [p for p in box_pos if hit.end <= p < limit]
        else:
            floor = hits[n - 1].end if n else 0
            own = [p for p in box_pos if floor <= p < hit.start]
        if own:
            pos = own[0] if trailing else own[-1]
            if text[pos] == CHECKED and hit.key not in group.checked:
                group.checked.append(hit.key)
    return group


def strip_marks_and_options(text: str, *names: str) -> str:
    """``text`` without boxes and without the option words of the named groups."""
    for name in names:
        for hit in reversed(matcher("groups", name).find(text)):
            text = text[: hit.start] + " " + text[hit.end :]
    return " ".join(BOX_MARK.sub(" ", text).split())
