"""The shortcuts taken for speed give the same result as the plain way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.parser.document import clean_raw, split_lines
from graph.parser.drawn_tables import to_cells
from graph.parser.labels import Matcher, trie_pattern
from graph.text import normalize

ROOT = Path(__file__).resolve().parents[3]
TEXTS = sorted((ROOT / "examples" / "cards").glob("*.txt")) + sorted(
    (ROOT / "tests" / "data" / "cards").glob("*.txt")
)


def _cell_by_cell(text: str) -> list[list[str]]:
    """split_lines without the one-call normalization: every cell on its own."""
    from graph.parser.document import _MD, _RULE, MAX_LINES

    out = []
    for raw in to_cells(clean_raw(text).split("\n")[:MAX_LINES]):
        if "**" in raw or "#" in raw or "---" in raw:
            raw = _MD.sub(" ", raw)
        cells = [normalize(c) for c in raw.split("\t")]
        if len(cells) == 1 and _RULE.match(cells[0] or "-"):
            cells = [""]
        out.append(cells)
    return out


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_whole_text_normalization_equals_cell_by_cell(path):
    text = path.read_text(encoding="utf-8")
    assert [line.cells for line in split_lines(text)] == _cell_by_cell(text)


@pytest.mark.parametrize(
    "text",
    [
        "\u200cعنوان\u200c\tشرح\u200c",  # ZWNJ at cell edges
        "الف &#10; ب\tج&#13;د",  # entities that decode to line breaks
        "a\ue010b\tc\ue011d",  # the private-use marks used as separators
        "x&#xe010;y\tz&#57361;w",  # ... and entities decoding to them
        "\u200c \u200cکار\t \u200c",
        "   \t\t\n\n ## عنوان **خدمت** \n---",
    ],
)
def test_edge_cases_of_whole_text_normalization(text):
    assert [line.cells for line in split_lines(text)] == _cell_by_cell(text)


_WORDS = st.lists(st.text(alphabet="abcم", min_size=1, max_size=4), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(_WORDS, st.text(alphabet="abcم", max_size=30))
def test_trie_regex_finds_what_a_longest_first_alternation_finds(words, text):
    flat = re.compile("|".join(map(re.escape, sorted(set(words), key=len, reverse=True))))
    trie = re.compile(trie_pattern(words))
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


def test_labels_match_across_spaces_zwnj_and_case():
    m = Matcher({"system": ["نام سامانه"], "g2c": ["(G2C)"]})
    assert [(h.key, h.start, h.end) for h in m.find("۷ نام\u200cسامانه ها (g2c)")] == [
        ("system", 2, 12),
        ("g2c", 16, 21),
    ]
    # A label never starts inside a word, nor ends inside one.
    assert m.find("بنام سامانه") == () and m.find("نام سامانهها") == ()
