"""Reading card files of any supported format into text, with a clear error for the rest.

Cards reach servicegraph as ``.txt`` extractions, saved web pages and Word documents, from
disk (``servicegraph parse``/``ingest``) and from API uploads. Every path goes through
:func:`read_card` or :func:`read_card_bytes`, which return the card's text in one layout
(:mod:`graph.readers.layout`) and raise :class:`~graph.errors.CardError` -- never another
exception -- for anything that is not a readable card. The text is *not* normalized: the
parser applies :func:`graph.text.normalize` once.

The content decides the format, the file name only breaks ties: a zip holding
``word/document.xml`` is Word, ``%PDF`` is read by :mod:`graph.readers.pdf`, OLE2/RTF are
refused with advice, text that is a
whole HTML document is HTML even when named ``.txt``, and ``.html``/``.htm`` text is HTML.
Line ends are always ``\\n``.

>>> read_card_bytes("1- عنوان خدمت:\\tصدور مجوز\\r\\n".encode("cp1256"), "card.txt")
'1- عنوان خدمت:\\tصدور مجوز\\n'
>>> read_card_bytes(b"{\\\\rtf1 ...", "card.rtf")
Traceback (most recent call last):
graph.errors.CardError: card.rtf: RTF document; convert to .docx/.txt first
"""

from __future__ import annotations

import stat
from pathlib import Path, PurePath

from graph.errors import CardError
from graph.readers.encoding import BINARY, decode_text
from graph.readers.layout import CHECKED, UNCHECKED, CardText
from graph.readers.markup import html_text, looks_like_html
from graph.readers.wordml import docx_text

__all__ = ["CHECKED", "MAX_CARD_BYTES", "UNCHECKED", "CardText", "read_card", "read_card_bytes"]

MAX_CARD_BYTES = 5 * 1024 * 1024
"""Default size limit; callers with settings pass ``Settings().max_upload_bytes``."""

_MB = 1024 * 1024
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_PDF_MAGIC = b"%PDF-"
_REFUSED = (  # (magic prefix, what it is); all are refused with the same advice
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Word .doc (OLE2) file"),
    (b"{\\rtf", "RTF document"),
)
_BINARY_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
    b"\x7fELF",
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def _limit(max_bytes: int | None) -> int:
    return MAX_CARD_BYTES if max_bytes is None else max_bytes


def _too_big(source: str, size: int, limit: int) -> CardError:
    unit, scale = ("MB", _MB) if limit >= _MB else ("KB", 1024)
    return CardError(
        source,
        f"file is {size / scale:.1f} {unit}, over the {round(limit / scale, 1):g} {unit} limit",
    )


def read_card(path: Path | str, *, max_bytes: int | None = None) -> str:
    """Read the card file at ``path`` (text, HTML, .docx or PDF) and return its text.

    Raises :class:`CardError` naming the path for a missing file, a directory, an empty,
    oversized, binary or undecodable file, a broken or scanned PDF, and for .doc/RTF files.
    """
    source = str(path)
    file = Path(path)
    limit = _limit(max_bytes)
    try:
        info = file.stat()
        if stat.S_ISDIR(info.st_mode):
            raise CardError(source, "is a directory, not a card file")
        if not stat.S_ISREG(info.st_mode):
            raise CardError(source, "not a regular file")
        if info.st_size > limit:
            raise _too_big(source, info.st_size, limit)
        with file.open("rb") as handle:
            data = handle.read(limit + 1)
    except (FileNotFoundError, NotADirectoryError):
        raise CardError(source, "no such file") from None
    except PermissionError:
        raise CardError(source, "cannot read: permission denied") from None
    except IsADirectoryError:
        raise CardError(source, "is a directory, not a card file") from None
    except OSError as exc:
        raise CardError(source, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise _too_big(source, len(data), limit)
    return _read(data, file.name, source)


def read_card_bytes(data: bytes, name: str, *, max_bytes: int | None = None) -> str:
    """Read an uploaded card; ``name`` gives the extension and names it in errors."""
    source = name or "<upload>"
    limit = _limit(max_bytes)
    if len(data) > limit:
        raise _too_big(source, len(data), limit)
    return _read(bytes(data), PurePath(name or "upload").name, source)


def _read(data: bytes, name: str, source: str) -> str:
    if not data:
        raise CardError(source, "empty file")
    suffix = PurePath(name).suffix.lower()
    head = data[:16]
    if head.startswith(_PDF_MAGIC) or (suffix == ".pdf" and _PDF_MAGIC in data[:1024]):
        from graph.readers.pdf import pdf_text  # PDFium loads only when a PDF comes

        return _nonblank(pdf_text(data, source), source)
    for magic, what in _REFUSED:
        if head.startswith(magic):
            raise CardError(source, f"{what}; convert to .docx/.txt first")
    if head.startswith(_ZIP_MAGIC):
        return _nonblank(docx_text(data, source), source)
    if suffix == ".docx":
        raise CardError(source, "corrupt .docx: not a zip archive")
    if head.startswith(_BINARY_MAGIC):
        raise CardError(source, BINARY)
    text = decode_text(data, source).replace("\r\n", "\n").replace("\r", "\n")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise CardError(source, "empty file (only whitespace)")
    if suffix in _HTML_SUFFIXES or looks_like_html(text):
        return _nonblank(html_text(text), source)
    return text


def _nonblank(text: str, source: str) -> str:
    if not text.strip():
        raise CardError(source, "no card text: the document shows no text")
    return text
