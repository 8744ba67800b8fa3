"""The form's printed words (``labels.yaml``) and a matcher that finds them in card text.

Cards spell the same label in many ways: with or without ZWNJ or spaces, Arabic or
Persian letters, Persian or ASCII digits. Every text here is first passed through
:func:`graph.text.normalize`; matching then runs on a *squeezed* copy with spaces and
ZWNJ removed, and maps the hits back to positions in the normalized text.

>>> m = Matcher({"title": ["عنوان خدمت"]})
>>> [(h.key, h.start, h.end) for h in m.find("۱- عنوان‌ خدمت: آموزش")]
[('title', 3, 14)]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

import yaml

from graph.text import normalize

_SQUEEZE = re.compile(r"[\s\u200c]+")
_LETTER = re.compile(r"\w")


def squeeze(text: str) -> str:
    """Normalized text without spaces and ZWNJ: the form in which labels are compared.

    >>> squeeze("خدمت گیرندگان") == squeeze("خدمت‌گيرندگان")
    True
    """
    squeezed = _SQUEEZE.sub("", normalize(text))
    return "".join(ch.lower() if ch.isascii() else ch for ch in squeezed)


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a vocabulary entry: its key and span in the searched text."""

    key: str
    start: int
    end: int


class Matcher:
    """Finds the words of a vocabulary ``{key: [variants]}`` in normalized text.

    ``whole_words`` refuses hits that start or end inside a word of the text, so that
    ``ملی`` is not found inside ``عملیات``.
    """

    def __init__(self, vocabulary: dict[str, list[str]], *, whole_words: bool = True) -> None:
        self._key_of: dict[str, str] = {}
        for key, variants in vocabulary.items():
            for variant in variants:
                self._key_of.setdefault(squeeze(variant), key)
        alternatives = sorted(self._key_of, key=len, reverse=True)
        self._regex = re.compile("|".join(map(re.escape, alternatives))) if alternatives else None
        self._whole = whole_words

    def find(self, text: str) -> list[Hit]:
        """All non-overlapping hits in ``text`` (already normalized), left to right."""
        if self._regex is None or not text:
            return []
        squeezed, starts, origins = _squeezed(text)
        hits = []
        for m in self._regex.finditer(squeezed):
            start = _origin(starts, origins, m.start())
            end = _origin(starts, origins, m.end() - 1) + 1
            if self._whole and not _at_word_edges(text, start, end):
                continue
            hits.append(Hit(self._key_of[m.group()], start, end))
        return hits

    def first(self, text: str) -> Hit | None:
        hits = self.find(text)
        return hits[0] if hits else None

    def key_of(self, text: str) -> str | None:
        """The key whose variant is exactly ``text`` (after squeezing), or None."""
        return self._key_of.get(squeeze(text))


_RUN = re.compile(r"[^\s\u200c]+")


@lru_cache(maxsize=16384)
def _squeezed(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` without spaces/ZWNJ (ASCII lower-cased), with the offsets of its runs."""
    parts, starts, origins, size = [], [], [], 0
    for m in _RUN.finditer(text):
        part = m.group()
        parts.append(part.lower() if part.isascii() else part)
        starts.append(size)
        origins.append(m.start())
        size += len(part)
    return "".join(parts), starts, origins


def _origin(starts: list[int], origins: list[int], index: int) -> int:
    run = bisect_right(starts, index) - 1
    return origins[run] + index - starts[run]


def _at_word_edges(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    inner_first, inner_last = text[start], text[end - 1]
    if _LETTER.match(inner_first) and _LETTER.match(before) and not before.isdigit():
        return False
    return not (_LETTER.match(inner_last) and _LETTER.match(after) and not after.isdigit())


@cache
def vocabulary() -> dict[str, Any]:
    """The parsed ``labels.yaml`` shipped beside this module."""
    text = files("graph.parser").joinpath("labels.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def matcher(*path: str, whole_words: bool = True) -> Matcher:
    """A cached :class:`Matcher` over the vocabulary at ``path`` in ``labels.yaml``.

    A list (``headings``) becomes one key, the last path element.
    """
    node: Any = vocabulary()
    for part in path:
        node = node[part]
    if isinstance(node, list):
        node = {path[-1]: node}
    return Matcher(node, whole_words=whole_words)


FIELD_ORDER: tuple[str, ...] = tuple(vocabulary()["fields"])
GROUP_FIELDS = frozenset({"service_types", "nature", "levels", "life_events", "start_triggers"})
