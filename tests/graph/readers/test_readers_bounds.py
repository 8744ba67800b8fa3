"""Hostile and broken files: every one ends as one line naming the file, fast and small.

Memory is measured in a fresh interpreter (:func:`graph.hostile.measure`, peak RSS) with a
bound far above a real card's cost (about 30 MiB with the imports) and far below what the
same file cost before the readers were bounded (31 MB of XML took 1 GB and 13 s).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from graph import hostile
from graph.errors import CardError
from graph.readers import CARD_SUFFIXES, card_files, read_card, read_card_bytes
from graph.readers.archive import MAX_ELEMENTS, MAX_MEMBERS

CARDS = Path(__file__).parents[3] / "examples" / "cards"
CARD_002 = next(CARDS.glob("002_*.txt"))
PEAK_MIB = 150  # generous: the interpreter with lxml and the readers is about 30 MiB


def test_fifo_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "card.txt"
    os.mkfifo(fifo)
    result: list[BaseException | str] = []
    thread = threading.Thread(target=lambda: _capture(result, fifo), daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "reading a FIFO blocked"
    assert isinstance(result[0], CardError)
    assert str(result[0]) == f"{fifo}: not a regular file (a named pipe)"


def _capture(result: list[BaseException | str], path: Path) -> None:
    try:
        result.append(read_card(path))
    except BaseException as exc:
        result.append(exc)


def test_dev_zero_symlink_refused(tmp_path: Path) -> None:
    link = tmp_path / "card.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(CardError) as caught:
        read_card(link)
    assert str(caught.value) == f"{link}: not a regular file (a character device)"


def test_symlink_to_a_real_card_is_read(tmp_path: Path) -> None:
    link = tmp_path / "card.txt"
    link.symlink_to(CARD_002)
    assert read_card(link) == CARD_002.read_text("utf-8")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(
            hostile.docx_bomb,
            f"corrupt .docx: part word/document.xml has over {MAX_ELEMENTS} XML elements",
            id="31MB-of-paragraphs",
        ),
        pytest.param(
            lambda: hostile.docx_bomb(20 * 2**20).replace(b"w:p>", b"w:x>"),  # one text run
            None,
            id="20MB-one-element-kind",
        ),
        pytest.param(
            hostile.lying_zip,
            "corrupt .docx: part word/document.xml: Bad CRC-32 for file 'word/document.xml'",
            id="directory-lies-about-size",
        ),
        pytest.param(
            hostile.many_members,
            f"corrupt .docx: 40001 members, over {MAX_MEMBERS}",
            id="40k-members",
        ),
        pytest.param(
            hostile.deep_docx,
            "corrupt .docx: part word/document.xml nests XML over 200 deep",
            id="nested-100k-deep",
        ),
    ],
)
def test_docx_zip_bomb_bounded(tmp_path: Path, make, reason: str | None) -> None:
    path = tmp_path / "bomb.docx"
    path.write_bytes(make())
    assert path.stat().st_size < 10 * 2**20
    outcome = hostile.measure(path)
    assert outcome["peak_mib"] < PEAK_MIB, outcome
    assert outcome["seconds"] < 10, outcome
    if reason is None:
        assert outcome["error"].startswith(f"{path}: "), outcome
    else:
        assert outcome["error"] == f"{path}: {reason}"


def test_docx_entity_expansion_refused() -> None:
    """A billion-laughs DTD: libxml2's amplification bound stops it, as one line."""
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "ههههههههههههههههههههه">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>عنوان &i;</w:t></w:r></w:p></w:body></w:document>"
    )
    data = hostile.package(laughs.encode())
    with pytest.raises(CardError, match=r"^laughs\.docx: corrupt \.docx: part word/document\.xml "):
        read_card_bytes(data, "laughs.docx")


def test_utf8_one_bad_byte_kept_with_warning() -> None:
    from graph.parser import parse_text

    original = CARD_002.read_text("utf-8")
    data = hostile.one_bad_byte(original)
    at = data.index(b"\xff")
    text = read_card_bytes(data, "card.txt")
    assert text.warnings == (f"byte {at} is not valid UTF-8 (replaced by U+FFFD)",)
    assert text.replace("\ufffd", "") == original
    card = parse_text(text, "card.txt")
    expected = parse_text(original, "card.txt")
    assert card.warnings[0] == text.warnings[0]
    assert (card.title, card.service_id, card.agency) == (
        expected.title,
        expected.service_id,
        expected.agency,
    )


def test_utf8_many_bad_bytes_is_not_repaired() -> None:
    """Windows-1256 Persian is not "damaged UTF-8": it still decodes as Windows-1256."""
    text = "۱- عنوان خدمت: صدور مجوز کسب و کار".replace("ی", "ي")
    decoded = read_card_bytes(text.translate({0x06F1: "1"}).encode("cp1256"), "c.txt")
    assert decoded == text.translate({0x06F1: "1"})
    assert not getattr(decoded, "warnings", ())


def test_folder_expansion_reports_every_skip(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("x")
    (tmp_path / "a.DOCX").write_bytes(b"x")
    (tmp_path / "notes.md").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.odt").write_bytes(b"x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "d.txt").write_text("x")
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    skipped: list[tuple[str, str]] = []
    found = card_files([tmp_path], on_skip=lambda p, why: skipped.append((p.name, why)))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.DOCX", "b.txt", "sub/c.odt"]
    assert sorted(skipped) == [
        (".git", "hidden folder, not searched"),
        (".hidden.txt", "hidden file"),
        ("loop", "symbolic link to a folder, not followed"),
        ("notes.md", "not a card file type (.md)"),
        ("pipe.txt", "not a regular file (a named pipe)"),
        ("zero.txt", "not a regular file (a character device)"),
    ]


def test_one_suffix_list_for_parse_ingest_and_api() -> None:
    import api.routers.cards as cards_router
    import graph.commands.parse as parse_command
    import graph.ingest as ingest_module

    for module in (cards_router, parse_command, ingest_module):
        assert not hasattr(module, "CARD_SUFFIXES") or module.CARD_SUFFIXES is CARD_SUFFIXES
    assert {".pdf", ".doc", ".odt", ".rtf", ".png", ".jpg", ".tif"} <= CARD_SUFFIXES
