"""Hand-made cards in layouts the bundled examples do not show, each with the canonical
object read by hand beside it (``tests/data/cards/<name>.expected.json``; origins in
``tests/data/README.md``). Scored with CARD_SCHEMA.md's method on every key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.card import Card
from graph.parser import parse_file
from graph.parser.labels import Matcher, vocabulary
from graph.parser.sections import TEXT_FIELDS
from tests.graph.parser.card_scoring import CARDS, HEADLINE, score_card, score_key

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "cards"
EXPECTED = sorted(FIXTURES.glob("*.expected.json"))
NAMES = [p.name.removesuffix(".expected.json") for p in EXPECTED]
# Every key of the contract but the file name and the parser's own notes.
ALL_KEYS = tuple(k for k in Card.model_fields if k not in ("source", "warnings"))
EXACT = HEADLINE  # the scored headline keys must come out exact on the fixtures


def _card_file(name: str) -> Path:
    (path,) = (p for p in FIXTURES.glob(f"{name}.*") if not p.name.endswith(".expected.json"))
    return path


@pytest.fixture(scope="module")
def cards() -> dict[str, tuple[dict, dict]]:
    return {
        name: (
            parse_file(_card_file(name)).to_dict(),
            json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8")),
        )
        for name in NAMES
    }


def test_there_are_enough_fixtures_in_varied_formats():
    assert len(NAMES) >= 6
    assert {_card_file(n).suffix for n in NAMES} >= {".txt", ".html"}


@pytest.mark.parametrize("name", NAMES)
def test_every_key_scores_high(cards, name):
    pred, gold = cards[name]
    scores = score_card(pred, gold, keys=ALL_KEYS)
    assert sum(scores.values()) / len(scores) >= 0.97, {k: v for k, v in scores.items() if v < 1}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("key", EXACT)
def test_key_fields_are_exact(cards, name, key):
    pred, gold = cards[name]
    assert pred[key] == gold[key]


@pytest.mark.parametrize("name", NAMES)
def test_licenses_and_filler_match(cards, name):
    pred, gold = cards[name]
    assert pred["licenses"] == gold["licenses"]
    assert score_key("form_filler", pred["form_filler"], gold["form_filler"]) == 1.0


def test_unknown_checkbox_state_is_null_and_all_unchecked_is_empty(cards):
    word, _ = cards["health_word_plain"]
    assert word["service_types"] is None and word["stages"] is None
    assert "service_types: checkbox state not recoverable" in word["warnings"]
    blank, _ = cards["expo_all_unchecked"]
    groups = ("service_types", "nature", "levels", "life_events", "start_triggers")
    assert [blank[g] for g in groups] == [[], [], [], [], []]
    assert blank["recipients"] == {"count": 300, "period": None}


def test_form2_row_missing_from_section_8_becomes_an_exchange(cards):
    pred, _ = cards["registry_reversed"]
    added = [x for x in pred["external_exchanges"] if x["agency"] == "اداره کل منابع طبیعی"]
    assert added == [
        {
            "agency": "اداره کل منابع طبیعی",
            "system": None,
            "fields": ["استعلام وضعیت اراضی ملی"],
            "inquiry": "non_electronic",
            "fee": "رایگان",
        }
    ]
    # The other form 2 row repeats a section 8 row: not added twice.
    assert sum(x["agency"] == "شهرداری" for x in pred["external_exchanges"]) == 1


# --- the form's own words are never values -------------------------------------------------


def _form_words() -> Matcher:
    vocab = vocabulary()
    columns, sections = vocab["columns"], vocab["exchange_sections"]
    return Matcher(
        {
            "field label": [v for f in TEXT_FIELDS for v in vocab["fields"][f]],
            "column head": columns["fields"] + columns["system"][:2] + columns["inquiry_by"],
            "section": sections["internal"] + sections["external"],
        }
    )


def _strings(card: dict) -> list[tuple[str, str]]:
    out = [(k, v) for k, v in card.items() if isinstance(v, str) and k != "source"]
    for kind in ("internal_exchanges", "external_exchanges"):
        for row in card[kind]:
            out += [(kind, v) for v in (row.get("agency"), row["system"], *row["fields"]) if v]
    return out + [("processes", p) for p in card["processes"]]


@pytest.mark.parametrize(
    "path", sorted(CARDS.glob("*.txt")) + [_card_file(n) for n in NAMES], ids=lambda p: p.name
)
def test_values_hold_no_label_or_option_list(path):
    card = parse_file(path).to_dict()
    words = _form_words()
    groups = ("service_types", "levels", "start_triggers", "periods", "channels")
    option_lists = [Matcher(vocabulary()["groups"][g]) for g in groups]
    for key, value in _strings(card):
        assert not words.find(value), (key, value)
        # One option word can be a value's own word (کارت ملی); three are the printed list.
        assert all(len({h.key for h in m.find(value)}) < 3 for m in option_lists), (key, value)


def test_docx_of_a_fixture_gives_the_same_card(tmp_path):
    """The tax card typed into Word (a table row per line, ☒/☐ boxes) and read through
    graph.readers gives the same canonical object as its PDF-text form."""
    docx = pytest.importorskip("docx")
    text = (FIXTURES / "tax_pdf_inputs.txt").read_text(encoding="utf-8")
    text = text.replace('<input checked="" type="checkbox"/>', "☒")
    text = text.replace('<input type="checkbox"/>', "☐")
    document = docx.Document()
    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) == 1:
            document.add_paragraph(line)
            continue
        row = document.add_table(rows=1, cols=len(cells)).rows[0]
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    path = tmp_path / "tax.docx"
    document.save(path)
    got = parse_file(path).to_dict()
    want = json.loads((FIXTURES / "tax_pdf_inputs.expected.json").read_text("utf-8"))
    assert {k: v for k, v in got.items() if k != "source"} == {
        k: v for k, v in want.items() if k != "source"
    }
