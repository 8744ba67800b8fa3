"""Legacy Word (.doc), OpenDocument (.odt) and RTF cards, read through LibreOffice.

The fixtures in ``tests/data/word`` are real files: a .docx written by
``bench/word_fixtures.py`` from an example card (right-to-left tables, ☒/☐ boxes), saved
as .doc, .odt and .rtf by LibreOffice. Each must parse to the same canonical card as the
.docx it came from, and the .docx to the same card as the example text card.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from graph.errors import CardError
from graph.parser import parse_file, parse_text
from graph.readers import read_card, read_card_bytes
from graph.readers.convert import Converted, convert_files
from servicegraph.cli import app

ROOT = Path(__file__).parents[3]
WORD = ROOT / "tests" / "data" / "word"
EXAMPLES = {"card_002": "002_0d3b341d9a24ee21", "card_004": "004_2c19728045f68b20"}
LEGACY = sorted(p for p in WORD.iterdir() if p.suffix in (".doc", ".odt", ".rtf"))

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is not installed; CI installs libreoffice-writer-nogui",
)


def _card(text: str, name: str) -> dict[str, Any]:
    card = parse_text(text, name).to_dict()
    card.pop("source")
    return card


@pytest.fixture(scope="module")
def converted() -> Iterator[Converted]:
    """Every legacy fixture converted in one LibreOffice run."""
    with tempfile.TemporaryDirectory() as tmp:
        yield convert_files(LEGACY, Path(tmp))


def test_docx_fixture_is_the_example_card() -> None:
    for stem, example in EXAMPLES.items():
        text = (ROOT / "examples" / "cards" / f"{example}.txt").read_text("utf-8")
        assert _card(read_card(WORD / f"{stem}.docx"), "c") == _card(text, "c"), stem


@needs_soffice
@pytest.mark.parametrize("path", LEGACY, ids=lambda p: p.name)
def test_legacy_parses_to_the_same_card_as_its_docx(path: Path, converted: Converted) -> None:
    docx = _card(read_card(path.with_suffix(".docx")), "c")
    card = _card(read_card(path, converted=converted), "c")
    assert card == docx
    assert card["title"] and card["service_types"] and card["internal_exchanges"] is not None


@needs_soffice
def test_batch_converts_every_legacy_file(converted: Converted) -> None:
    assert len(converted) == len(LEGACY) == 6
    assert all(isinstance(made, Path) for made in converted.values())


@needs_soffice
def test_one_file_without_a_batch_is_converted_on_its_own() -> None:
    card = parse_file(WORD / "card_004.odt").to_dict()
    assert card["source"] == "card_004.odt"
    assert card["title"] == parse_file(WORD / "card_004.docx").title


@needs_soffice
@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            "c.doc",
            "legacy Word .doc (OLE2) file: LibreOffice could not convert it (damaged or "
            "protected?)",
            id="ole2-header-only",
        ),
        pytest.param(
            b"{\\rtf1 \\ansi",
            "c.rtf",
            "RTF document: LibreOffice could not convert it (damaged or protected?)",
            id="truncated-rtf",
        ),
    ],
)
def test_damaged_legacy_file_is_one_line(data: bytes, name: str, reason: str) -> None:
    with pytest.raises(CardError) as caught:
        read_card_bytes(data, name)
    assert str(caught.value) == f"{name}: {reason}"


def test_missing_converter_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on it
    shutil.copy(WORD / "card_002.doc", tmp_path / "a.doc")
    shutil.copy(ROOT / "examples" / "cards" / "002_0d3b341d9a24ee21.txt", tmp_path / "b.txt")
    result = CliRunner().invoke(app, ["parse", "--json", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"servicegraph: {tmp_path / 'a.doc'}: legacy Word .doc (OLE2) file: reading it needs "
        "LibreOffice; install libreoffice-writer-nogui (Debian) or LibreOffice, or save it as "
        ".docx"
    )
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == ["b.txt"]


@needs_soffice
def test_parse_folder_of_word_cards() -> None:
    result = CliRunner().invoke(app, ["parse", "--json", str(WORD)])
    assert result.exit_code == 0, result.stderr
    cards = {}
    for line in result.stdout.splitlines():
        card = json.loads(line)
        cards[card.pop("source")] = card
    assert sorted(cards) == sorted(p.name for p in WORD.iterdir() if p.suffix != ".py")
    for name, card in cards.items():
        assert card == cards[Path(name).stem + ".docx"], name


@needs_soffice
def test_ingest_legacy_cards_in_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch's conversions reach ingest's worker processes; raw bytes kept as given."""
    import graph.ingest as ingest_module
    from graph.store.embedded import EmbeddedStore

    monkeypatch.setattr(ingest_module, "MIN_PARALLEL", 1)
    store = EmbeddedStore(tmp_path / "data")
    try:
        report = ingest_module.ingest(
            [WORD / "card_002.odt", WORD / "card_004.doc"],
            store,
            data_dir=tmp_path / "data",
            jobs=2,
        )
    finally:
        store.close()
    assert [c.source for c in report.loaded] == ["card_002.odt", "card_004.doc"], report.failed
    kept = sorted(p.suffix for p in (tmp_path / "data" / "raw").iterdir())
    assert kept == [".doc", ".odt"]
