"""Turning the bytes of a text card into ``str`` without guessing wrong silently.

Persian cards come from Windows machines as UTF-8 (with or without a BOM), UTF-16 (what
Notepad calls "Unicode") or Windows-1256, the Arabic-script ANSI code page. The order is:
a byte-order mark decides; otherwise strict UTF-8; then text that looks like UTF-16 without a
BOM; then UTF-8 with a few damaged bytes; then Windows-1256. A candidate is accepted only
when it is sane: no C1 controls and stray C0 controls, and (for the legacy code page) its
non-ASCII letters are Arabic script. Anything else is a :class:`~graph.errors.CardError`,
never mojibake.

One bad byte in a UTF-8 card (a truncated copy, a editor's slip) must not turn the whole
card into Windows-1256 mojibake that the parser refuses: text that is overwhelmingly valid
UTF-8 -- at most :data:`MAX_BAD_SEQUENCES` invalid sequences, and at least
:data:`MIN_GOOD_PER_BAD` valid non-ASCII characters for each -- is kept, each bad sequence
replaced by U+FFFD, as a :class:`~graph.readers.layout.CardText` whose warning names the
byte positions. Windows-1256 Persian fails UTF-8 at nearly every letter, so it never
qualifies.

>>> decode_text("سلام".encode("cp1256"), "a.txt")
'سلام'
>>> decode_text("\\ufeffسلام".encode("utf-16-le"), "a.txt")
'سلام'
>>> text = decode_text("عنوان خدمت: صدور مجوز کسب".encode() + b"\\xff", "a.txt")
>>> text, text.warnings
('عنوان خدمت: صدور مجوز کسب\\ufffd', ('byte 45 is not valid UTF-8 (replaced by U+FFFD)',))
"""

from __future__ import annotations

import codecs

from graph.errors import CardError
from graph.readers.layout import CardText

__all__ = ["BINARY", "MAX_BAD_SEQUENCES", "MIN_GOOD_PER_BAD", "decode_text", "is_arabic_letter"]

BINARY = "binary content, not a card format (text, HTML, Word, PDF, scan)"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")
# Share of odd characters a decoding may contain and still count as text.
_MAX_CONTROL_SHARE = 0.001
_MIN_UTF16_PLAUSIBLE = 0.97
_MIN_ARABIC_SHARE = 0.8
MAX_BAD_SEQUENCES = 16
MIN_GOOD_PER_BAD = 20


def is_arabic_letter(ch: str) -> bool:
    """True for letters of the Arabic script blocks (Persian letters included)."""
    o = ord(ch)
    in_block = 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFEFF
    return in_block and ch.isalpha()


def _bad_controls(text: str) -> int:
    """C0 controls other than whitespace, DEL and C1 controls: signs of binary or mojibake."""
    return sum(
        1 for ch in text if (ch < " " and ch not in _TEXT_CONTROLS) or "\x7f" <= ch <= "\x9f"
    )


def _clean(text: str) -> bool:
    return _bad_controls(text) <= len(text) * _MAX_CONTROL_SHARE and "\x00" not in text


def _plausible_share(text: str) -> float:
    """Share of characters a Persian or Latin card is made of (for BOM-less UTF-16)."""
    if not text:
        return 0.0
    good = sum(
        1
        for ch in text
        if " " <= ch < "\x7f"
        or ch in _TEXT_CONTROLS
        or "\u0600" <= ch <= "\u06ff"
        or "\u200c" <= ch <= "\u206f"
        or "\xa0" <= ch <= "\xff"
    )
    return good / len(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """Decode BOM-less UTF-16 when one byte order gives sane Persian/Latin text."""
    if len(data) < 4 or len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        # A cheap look at the start first: most inputs are not UTF-16 at all.
        head = data[:4096].decode(codec, errors="replace")
        if _plausible_share(head) < _MIN_UTF16_PLAUSIBLE:
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _plausible_share(text) >= _MIN_UTF16_PLAUSIBLE and _clean(text):
            return text
    return None


def _arabic_share(text: str) -> float:
    """Share of Arabic-script letters among the non-ASCII letters (1.0 if there are none)."""
    letters = [ch for ch in text if ch > "\x7f" and ch.isalpha()]
    if not letters:
        return 1.0
    return sum(map(is_arabic_letter, letters)) / len(letters)


def _damaged_utf8(data: bytes, offset: int = 0) -> CardText | None:
    """UTF-8 with a few invalid sequences replaced, or None when it is not mostly UTF-8.

    ``offset`` is added to the byte positions named (the length of a BOM before ``data``).
    """
    parts: list[str] = []
    bad: list[int] = []
    start = 0
    while True:
        try:
            parts.append(data[start:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            if len(bad) == MAX_BAD_SEQUENCES:
                return None
            parts += [data[start : start + exc.start].decode("utf-8"), "\ufffd"]
            bad.append(offset + start + exc.start)
            start += exc.end
    text = "".join(parts)
    good = sum(1 for ch in text if ch > "\x7f") - len(bad)
    if not bad or good < MIN_GOOD_PER_BAD * len(bad) or not _clean(text):
        return None
    where = ", ".join(map(str, bad))
    if len(bad) == 1:
        warning = f"byte {where} is not valid UTF-8 (replaced by U+FFFD)"
    else:
        warning = (
            f"{len(bad)} byte sequences are not valid UTF-8, at bytes {where} (replaced by U+FFFD)"
        )
    return CardText(text, [warning])


def decode_text(data: bytes, source: str) -> str:
    """Decode a text card; raise :class:`CardError` when no sane decoding exists.

    The answer is a :class:`CardText` with a warning when damaged UTF-8 was repaired.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                if codec == "utf-8" and (repaired := _damaged_utf8(data[len(bom) :], len(bom))):
                    return repaired
                raise CardError(
                    source, f"undecodable text: invalid {label} at byte {exc.start + len(bom)}"
                ) from None
            if not _clean(text):
                raise CardError(source, BINARY)
            return text
    try:
        utf8: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if utf8 is not None and _clean(utf8):
        return utf8
    text16 = _utf16_without_bom(data)
    if text16 is not None:
        return text16
    repaired = _damaged_utf8(data)
    if repaired is not None:
        return repaired
    if b"\x00" in data:
        raise CardError(source, BINARY)
    legacy = data.decode("cp1256", errors="replace")
    if _clean(legacy) and "\ufffd" not in legacy and _arabic_share(legacy) >= _MIN_ARABIC_SHARE:
        return legacy
    if not _clean(legacy):
        raise CardError(source, BINARY)
    raise CardError(source, "undecodable text: neither UTF-8, UTF-16 nor Windows-1256 Persian")
