"""Files that hold several cards (an agency's whole catalogue in one PDF or text file): each
card read on its own, the same as when it stands alone; single cards never split."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from graph.errors import CardError
from graph.parser import parse_cards, parse_text
from graph.parser.bundle import card_starts
from graph.parser.document import split_lines
from graph.readers import read_card
from servicegraph.cli import app

ROOT = Path(__file__).resolve().parents[3]
CARDS = sorted((ROOT / "examples" / "cards").glob("*.txt"))
DATA = ROOT / "tests" / "data"


def _same(bundled: dict, alone: dict) -> None:
    for key in ("source", "warnings"):
        bundled.pop(key), alone.pop(key)
    assert bundled == alone


def test_a_text_bundle_of_the_five_example_cards_reads_as_five_cards():
    text = "\n".join(path.read_text("utf-8") for path in CARDS)
    cards = parse_cards(text, "catalogue.txt")
    assert [c.source for c in cards] == [f"catalogue.txt#{n}" for n in range(1, 6)]
    for card, path in zip(cards, CARDS, strict=True):
        assert f"card {cards.index(card) + 1} of the 5 cards" in card.warnings[0]
        _same(card.to_dict(), parse_text(path.read_text("utf-8"), path.name).to_dict())


def test_one_card_is_never_split():
    files = [*CARDS, *DATA.glob("cards/*.txt"), *DATA.glob("cards/*.html")]
    files += DATA.glob("corpus/*.pdf")
    for path in files:
        assert card_starts(split_lines(read_card(path))) == [0], path.name


def test_parse_text_refuses_a_bundle_naming_the_count():
    text = "\n".join(path.read_text("utf-8") for path in CARDS[:2])
    with pytest.raises(CardError, match="holds 2 service cards"):
        parse_text(text, "two.txt")


def _pdf_bundle(names: list[str]) -> bytes:
    bundle = pdfium.PdfDocument.new()
    for name in names:
        bundle.import_pages(pdfium.PdfDocument((DATA / "corpus" / name).read_bytes()))
    out = io.BytesIO()
    bundle.save(out)
    return out.getvalue()


def test_parse_prints_each_card_of_a_pdf_bundle(tmp_path):
    names = [
        "002_0d3b341d9a24ee21.chromium-noto.pdf",
        "004_2c19728045f68b20.libreoffice-noto.pdf",
        "tax_pdf_inputs.chromium-noto.pdf",
    ]
    path = tmp_path / "catalogue.pdf"
    path.write_bytes(_pdf_bundle(names))
    result = CliRunner().invoke(app, ["parse", "--json", str(path)])
    assert result.exit_code == 0, result.output
    cards = [json.loads(line) for line in result.stdout.splitlines()]
    assert [c["source"] for c in cards] == [f"catalogue.pdf#{n}" for n in (1, 2, 3)]
    for card, name in zip(cards, names, strict=True):
        _same(card, parse_text(read_card(DATA / "corpus" / name), name).to_dict())
