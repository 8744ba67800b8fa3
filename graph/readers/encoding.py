"""Turning the bytes of a text card into ``str`` without guessing wrong silently.

Persian cards come from Windows machines as UTF-8 (with or without a BOM), UTF-16 (what
Notepad calls "Unicode") or Windows-1256, the Arabic-script ANSI code page. The order is:
a byte-order mark decides; otherwise text that looks like UTF-16 without a BOM; then strict
UTF-8; then Windows-1256. A candidate is accepted only when it is sane: no C1 controls and
stray C0 controls, and (for the legacy code page) its non-ASCII letters are Arabic script.
Anything else is a :class:`~graph.errors.CardError`, never mojibake.

>>> decode_text("سلام".encode("cp1256"), "a.txt")
'سلام'
>>> decode_text("\\ufeffسلام".encode("utf-16-le"), "a.txt")
'سلام'
"""

from __future__ import annotations

import codecs

from graph.errors import CardError

__all__ = ["BINARY", "decode_text", "is_arabic_letter"]

BINARY = "binary content, not a text, .html or .docx card"

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


def decode_text(data: bytes, source: str) -> str:
    """Decode a text card; raise :class:`CardError` when no sane decoding exists."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise CardError(
                    source, f"undecodable text: invalid {label} at byte {exc.start + len(bom)}"
                ) from None
            if not _clean(text):
                raise CardError(source, BINARY)
            return text
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and _clean(text):
        return text
    text16 = _utf16_without_bom(data)
    if text16 is not None:
        return text16
    if b"\x00" in data:
        raise CardError(source, BINARY)
    legacy = data.decode("cp1256", errors="replace")
    if _clean(legacy) and "\ufffd" not in legacy and _arabic_share(legacy) >= _MIN_ARABIC_SHARE:
        return legacy
    if not _clean(legacy):
        raise CardError(source, BINARY)
    raise CardError(source, "undecodable text: neither UTF-8, UTF-16 nor Windows-1256 Persian")
