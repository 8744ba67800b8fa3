"""Text cards: encodings on a real card, every refusal as a one-line CardError, fuzzing."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.errors import CardError
from graph.readers import MAX_CARD_BYTES, read_card, read_card_bytes
from graph.text import normalize

CARDS = Path(__file__).parents[3] / "examples" / "cards"
CARD_002 = next(CARDS.glob("002_*.txt"))
# Windows-1256 has Arabic yeh but no Farsi yeh and no Persian digits: Persian Windows
# software writes these, which graph.text.normalize maps back.
_CP1256_FOLD = str.maketrans({"ی": "ي"} | {chr(0x06F0 + i): str(i) for i in range(10)})


def test_example_cards_read_unchanged() -> None:
    for path in sorted(CARDS.glob("*.txt")):
        assert read_card(path) == path.read_text("utf-8").replace("\r\n", "\n"), path.name


def test_cp1256_card_round_trip(tmp_path: Path) -> None:
    original = CARD_002.read_text("utf-8")
    legacy = original.translate(_CP1256_FOLD)
    path = tmp_path / "card.txt"
    path.write_bytes(legacy.encode("cp1256"))  # raises if the fold missed a character
    text = read_card(path)
    assert text == legacy
    assert normalize(text, keep_newlines=True) == normalize(original, keep_newlines=True)


@pytest.mark.parametrize(
    ("codec", "bom"),
    [
        pytest.param("utf-16-le", codecs.BOM_UTF16_LE, id="utf16le-bom"),
        pytest.param("utf-16-be", codecs.BOM_UTF16_BE, id="utf16be-bom"),
        pytest.param("utf-16-le", b"", id="utf16le-no-bom"),
        pytest.param("utf-16-be", b"", id="utf16be-no-bom"),
        pytest.param("utf-8", codecs.BOM_UTF8, id="utf8-bom"),
        pytest.param("utf-32-le", codecs.BOM_UTF32_LE, id="utf32le-bom"),
    ],
)
def test_unicode_card_round_trip(codec: str, bom: bytes) -> None:
    original = CARD_002.read_text("utf-8")
    data = bom + original.replace("\n", "\r\n").encode(codec)
    assert read_card_bytes(data, CARD_002.name) == original


def _big(tmp_path: Path) -> Path:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(int(7.2 * 1024 * 1024))
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(lambda d: d / "missing.txt", "no such file", id="missing"),
        pytest.param(lambda d: d / "missing" / "card.txt", "no such file", id="missing-dir"),
        pytest.param(lambda d: d, "is a directory, not a card file", id="directory"),
        pytest.param(lambda d: _write(d, "e.txt", b""), "empty file", id="empty"),
        pytest.param(
            lambda d: _write(d, "w.txt", b" \r\n\t"), "empty file (only whitespace)", id="blank"
        ),
        pytest.param(_big, "file is 7.2 MB, over the 5 MB limit", id="too-big"),
        pytest.param(
            lambda d: _write(d, "c.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
            "corrupt PDF (data format error)",
            id="pdf-truncated",
        ),
        pytest.param(
            lambda d: _write(d, "c.txt", b"GIF89a" + os.urandom(64)),
            "binary content, not a card format (text, HTML, Word, PDF, scan)",
            id="gif",
        ),
        pytest.param(
            lambda d: _write(d, "c.png", b"\x89PNG\r\n\x1a\n" + os.urandom(64)),
            "unreadable image: cannot decode it as PNG, JPEG or TIFF",
            id="corrupt-png",
        ),
        pytest.param(
            lambda d: _write(d, "c.txt", b"abc\x00\x01\x02\x03" * 50),
            "binary content, not a card format (text, HTML, Word, PDF, scan)",
            id="nul-bytes",
        ),
        pytest.param(
            lambda d: _write(d, "c.txt", "Übergröße café".encode("latin-1")),
            "undecodable text: neither UTF-8, UTF-16 nor Windows-1256 Persian",
            id="latin1",
        ),
        pytest.param(
            lambda d: _write(d, "c.txt", codecs.BOM_UTF8 + b"\xff\xfe\xfa"),
            "undecodable text: invalid UTF-8 at byte 3",
            id="bad-after-bom",
        ),
        pytest.param(
            lambda d: _write(d, "c.docx", "عنوان".encode()),
            "corrupt .docx: not a zip archive",
            id="docx-not-zip",
        ),
    ],
)
def test_read_card_errors(tmp_path: Path, make, reason: str) -> None:
    path = make(tmp_path)
    with pytest.raises(CardError) as caught:
        read_card(path)
    assert caught.value.reason == reason
    assert str(caught.value) == f"{path}: {reason}"
    assert "\n" not in str(caught.value)


def _write(directory: Path, name: str, data: bytes) -> Path:
    path = directory / name
    path.write_bytes(data)
    return path


def test_upload_limit_and_name_in_message() -> None:
    with pytest.raises(CardError, match=r"^upload\.txt: file is 5\.0 MB, over the 5 MB limit$"):
        read_card_bytes(b"a" * (MAX_CARD_BYTES + 1), "upload.txt")
    with pytest.raises(CardError, match=r"^u\.txt: file is 2\.0 KB, over the 1 KB limit$"):
        read_card_bytes(b"a" * 2048, "u.txt", max_bytes=1024)


_NAMES = st.sampled_from(
    ["card.txt", "card.html", "card.htm", "card.docx", "card.doc", "card.pdf", "card", ""]
)
_PREFIXES = st.sampled_from(
    [b"", b"PK\x03\x04", b"<html>", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"<table><tr><td>"]
)


@settings(max_examples=300, deadline=None)
@given(prefix=_PREFIXES, body=st.binary(max_size=2048), name=_NAMES)
def test_arbitrary_bytes_give_text_or_card_error(prefix: bytes, body: bytes, name: str) -> None:
    try:
        result = read_card_bytes(prefix + body, name)
    except CardError as exc:
        assert exc.reason and "\n" not in exc.reason
    else:
        assert isinstance(result, str) and result.strip()


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=500), name=_NAMES)
def test_arbitrary_text_gives_text_or_card_error(text: str, name: str) -> None:
    try:
        result = read_card_bytes(text.encode("utf-8"), name)
    except CardError as exc:
        assert exc.reason
    else:
        assert isinstance(result, str)
