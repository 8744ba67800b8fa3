"""The parser against the hand-read gold of the five bundled cards."""

from __future__ import annotations

import pytest

from tests.graph.parser.card_scoring import HEADLINE, bundled, score_card, score_key

OTHER_KEYS = (
    "description",
    "audience",
    "nature",
    "levels",
    "life_events",
    "start_triggers",
    "required_documents",
    "legal_basis",
    "recipients",
    "duration",
    "frequency",
    "in_person_visits",
    "fee",
    "url",
    "system_name",
    "subservice_title",
    "subservice_id",
)


def test_headline_score_is_at_least_095(parsed, gold):
    rows = [score_card(parsed[name], gold[name]) for name in gold]
    mean = sum(sum(r.values()) / len(HEADLINE) for r in rows) / len(rows)
    assert mean >= 0.95, rows


@pytest.mark.parametrize("key", OTHER_KEYS)
def test_other_keys_match_gold_on_most_cards(parsed, gold, key):
    scores = {name: score_key(key, parsed[name][key], gold[name][key]) for name in gold}
    assert sum(scores.values()) >= len(scores) - 1, scores


@pytest.mark.parametrize(
    "name", ["000_be74d1a58610ce08", "002_0d3b341d9a24ee21", "003_470926eedf9b2a55"]
)
def test_stages_match_gold(parsed, gold, name):
    pred, want = parsed[name]["stages"], gold[name]["stages"]
    electronic = sum(pred[s]["electronic"] == want[s]["electronic"] for s in want)
    assert electronic >= 3, pred
    assert pred["informing"] == want["informing"]


def test_stages_of_plain_word_text_are_unknown(parsed):
    card = parsed["001_7db24de71e7db159"]
    assert card["stages"] is None
    assert "stages: checkbox state not recoverable" in card["warnings"]


def test_licenses_form2_match_gold(parsed, gold):
    name = "003_470926eedf9b2a55"
    got = [(r["inquired_agency"], r["inquiry"], r.get("fee")) for r in parsed[name]["licenses"]]
    want = [(r["inquired_agency"], r["inquiry"], r.get("fee")) for r in gold[name]["licenses"]]
    assert got == want


@pytest.mark.parametrize("name", bundled())
def test_form_filler_matches_gold(parsed, gold, name):
    pred, want = parsed[name]["form_filler"], gold[name]["form_filler"]
    assert score_key("form_filler", pred, want) == 1.0, (pred, want)


def test_form1_rows_with_only_type_words_are_not_licenses(parsed):
    for name in ("000_be74d1a58610ce08", "001_7db24de71e7db159"):
        assert parsed[name]["licenses"] == []
