"""The form's printed words (``labels.yaml``) and a matcher that finds them in card text.

Cards spell the same label in many ways: with or without ZWNJ or spaces, Arabic or
Persian letters, Persian or ASCII digits. Every text here is first passed through
:func:`graph.text.normalize`; the variants are compared *squeezed* (spaces and ZWNJ
removed, ASCII lower-cased), through one regex per vocabulary that lets spaces and ZWNJ
stand between any two letters (:func:`trie_pattern`), so hits are found at their place in
the normalized text in one pass. The passes of the parser ask the same matcher about the
same line many times: hits are memoized for the card being parsed (:func:`forget`).

>>> m = Matcher({"title": ["عنوان خدمت"]})
>>> [(h.key, h.start, h.end) for h in m.find("۱- عنوان‌ خدمت: آموزش")]
[('title', 3, 14)]
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Hashable, Iterable
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any, NamedTuple, TypeAlias, TypedDict, TypeVar

import yaml

from graph.text import normalize

_SQUEEZE = re.compile(r"[\s\u200c]+")
_LETTER = re.compile(r"\w")
_UPPER = re.compile("[A-Z]+")


def squeeze(text: str) -> str:
    """Normalized text without spaces and ZWNJ: the form in which labels are compared.

    >>> squeeze("خدمت گیرندگان") == squeeze("خدمت‌گيرندگان")
    True
    """
    return _squeezed(normalize(text))


class Hit(NamedTuple):
    """One occurrence of a vocabulary entry: its key and span in the searched text (a
    tuple: made for every label found, it must be cheap to build)."""

    key: str
    start: int
    end: int


_new_tuple = tuple.__new__


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
        self._keys = frozenset(self._key_of)
        pattern = trie_pattern(self._key_of, gaps=True, word_start=whole_words)
        self._regex = re.compile(pattern) if self._key_of else None
        self._whole = whole_words
        # The two rarest letters every word holds ("" when none): a quick refusal.
        needs = _needed_letters(self._key_of)
        self._need1, self._need2 = needs[:1], needs[1:2]
        # The passes over a card ask the same matcher about the same line many times.
        self._memo: dict[str, tuple[Hit, ...]] = {}
        _MATCHERS.add(self)

    def find(self, text: str) -> tuple[Hit, ...]:
        """All non-overlapping hits in ``text`` (already normalized), left to right."""
        hits = self._memo.get(text)
        if hits is None:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            found = self._regex and text and self._need1 in text and self._need2 in text
            hits = self._memo[text] = self._search(text) if found else ()
        return hits

    def _search(self, text: str) -> tuple[Hit, ...]:
        if self._regex is None:  # an empty vocabulary: find() does not ask
            return ()
        hits: list[Hit] = []
        size = len(text)
        for m in self._regex.finditer(text):
            start, end = m.span()
            # The regex already refused starts inside a word; refuse ends inside one.
            if self._whole and end < size and not _at_word_end(text, end):
                continue
            word = m.group()
            key = self._key_of.get(word)
            if key is None:  # written with spaces or ZWNJ: squeezed once per spelling
                if len(self._key_of) >= _MEMO_SIZE:
                    self._key_of = {k: v for k, v in self._key_of.items() if k in self._keys}
                key = self._key_of[word] = self._key_of[_squeezed(word)]
            hits.append(_new_tuple(Hit, (key, start, end)))  # Hit(...) without its frame
        return tuple(hits)

    def first(self, text: str) -> Hit | None:
        hits = self.find(text)
        return hits[0] if hits else None

    def key_of(self, text: str) -> str | None:
        """The key whose variant is exactly ``text`` (after squeezing), or None."""
        return self._key_of.get(squeeze(text))


# Persian letters from the most to the least common: a vocabulary's rarest shared letters
# are the cheapest test that a text cannot hold any of its words.
_BY_FREQUENCY = "اینرمدهوتسلبکشزگفخقجحپصعطضآغثظذچژ"


def _needed_letters(words: Iterable[str]) -> str:
    """Up to two letters every word holds (never ASCII letters, matched in any case),
    rarest first: a text lacking one of them holds none of the words.

    >>> _needed_letters(["عناوینفرایندهایخدمت", "فرآیندهایخدمت"])
    'خف'
    """
    listed = list(words)
    if not listed:
        return ""
    shared = set.intersection(*(set(w) for w in listed))
    common = {ch for ch in shared if not (ch.isascii() and ch.isalpha())}
    rank = {ch: n for n, ch in enumerate(_BY_FREQUENCY)}
    return "".join(sorted(common, key=lambda ch: -rank.get(ch, len(rank)))[:2])


_GAP = "[\\s\u200c]*"
_MATCHERS: weakref.WeakSet[Matcher] = weakref.WeakSet()
_MEMO_SIZE = 50_000
# A trie of words: each letter leads to the trie of the rest; "" marks a word's end.
_Trie: TypeAlias = dict[str, "_Trie"]


def trie_pattern(words: Iterable[str], *, gaps: bool = False, word_start: bool = False) -> str:
    """One regex for ``words`` with shared prefixes factored out; the longest word wins.

    A flat alternation of a hundred labels makes the regex engine try each label at every
    letter; the trie tries only the labels that share the letters already read. At any
    position the next letter picks at most one branch, and a word ending at a node is tried
    after the longer words through it, so the match is the longest one, as with a flat
    alternation sorted longest first. With ``gaps`` spaces and ZWNJ may stand between any
    two letters (the text is matched as written, not squeezed) and ASCII letters match in
    either case; with ``word_start`` a word starting with a letter must not start inside a
    word of the text, checked right after its first letter so that the regex engine still
    skips quickly to the positions holding a possible first letter.

    >>> trie_pattern(["ab", "abc", "ad"])
    'a(?:b(?:c|)|d)'
    >>> re.fullmatch(trie_pattern(["ملی", "ملیت"]), "ملیت") is not None
    True
    >>> re.search(trie_pattern(["نامدستگاه"], gaps=True), "نام ‌دستگاه").group()
    'نام ‌دستگاه'
    """
    trie: _Trie = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    branches = []
    for ch, child in trie.items():
        if not ch:
            continue
        rest = _node_pattern(child, gaps)
        # A first letter written as a class ([oO]) would stop the regex engine from
        # skipping to the positions holding a possible first letter: both cases are
        # literal branches instead.
        cases = {ch.lower(), ch.upper()} if gaps and ch.isascii() and ch.isalpha() else {ch}
        for head in sorted(cases):
            head = re.escape(head)
            if word_start and _LETTER.match(ch):
                head += r"(?<![^\W\d][\s\S])"
            branches.append(head + rest)
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _letter(ch: str, gaps: bool) -> str:
    if gaps and ch.isascii() and ch.isalpha():
        return f"[{ch}{ch.upper()}]"
    return re.escape(ch)


def _node_pattern(node: _Trie, gaps: bool) -> str:
    gap = _GAP if gaps else ""
    branches = [
        gap + _letter(ch, gaps) + _node_pattern(child, gaps) for ch, child in node.items() if ch
    ]
    if "" in node:
        if not branches:
            return ""
        branches.append("")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


_PER_CARD: list[Callable[[], None]] = []  # the cache_clear of each per_card function
_Arg = TypeVar("_Arg", bound=Hashable)
_Result = TypeVar("_Result")


def per_card(function: Callable[[_Arg], _Result]) -> Callable[[_Arg], _Result]:
    """Memoize a pure function of card text for the card being parsed (see :func:`forget`)."""
    cached = lru_cache(maxsize=_MEMO_SIZE)(function)
    _PER_CARD.append(cached.cache_clear)
    return cached


def forget() -> None:
    """Drop the memos of every matcher: called once per card so that memory stays bounded
    by one card and a benchmark that parses the same cards again is not flattered."""
    for m in _MATCHERS:
        m._memo.clear()
    for clear in _PER_CARD:
        clear()


def _squeezed(text: str) -> str:
    """``text`` without spaces/ZWNJ, ASCII letters lower-cased (same length per letter)."""
    text = _SQUEEZE.sub("", text)
    return _UPPER.sub(_lower, text) if _UPPER.search(text) else text


def _lower(m: re.Match[str]) -> str:
    return m.group().lower()


def _at_word_end(text: str, end: int) -> bool:
    after = text[end]
    return after.isdigit() or not (_LETTER.match(after) and _LETTER.match(text[end - 1]))


# The printed spellings of each key: ``{key: [variants]}``.
Variants: TypeAlias = dict[str, list[str]]


class LicenseWords(TypedDict):
    """The licence forms' words: the heads that open form 1 and form 2, their column
    heads, and the printed type words that alone do not make a row a licence."""

    form1: list[str]
    form2: list[str]
    columns: Variants
    type_words: list[str]


class Vocabulary(TypedDict):
    """``labels.yaml`` by the role of each list of words (its comments say which)."""

    fields: Variants
    headings: list[str]
    fee_heads: list[str]
    noise: list[str]
    appendix: list[str]
    license_start: list[str]
    groups: dict[str, Variants]
    stages: Variants
    processes: list[str]
    process_end: list[str]
    exchange_sections: Variants
    columns: Variants
    inquiry_words: Variants
    filler: Variants
    licenses: LicenseWords


@cache
def vocabulary() -> Vocabulary:
    """The parsed ``labels.yaml`` shipped beside this module (its shape is checked against
    :class:`Vocabulary` by ``tests/graph/parser/test_parser_vocabulary.py``)."""
    text = files("graph.parser").joinpath("labels.yaml").read_text(encoding="utf-8")
    loaded: Vocabulary = yaml.safe_load(text)
    return loaded


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
TEXT_FIELDS: tuple[str, ...] = tuple(f for f in FIELD_ORDER if f not in GROUP_FIELDS)
