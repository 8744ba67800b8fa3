"""Reading card files of any supported format into text, with a clear error for the rest.

Cards reach servicegraph as ``.txt`` extractions, saved web pages, Word documents (.docx,
and .doc/.odt/.rtf through LibreOffice, :mod:`graph.readers.convert`), from disk
(``servicegraph parse``/``ingest``, read by :func:`graph.readers.files.read_file`) and from
API uploads. Every path goes through
:func:`read_card` or :func:`read_card_bytes`, which return the card's text in one layout
(:mod:`graph.readers.layout`) and raise :class:`~graph.errors.CardError` -- never another
exception -- for anything that is not a readable card. The text is *not* normalized: the
parser applies :func:`graph.text.normalize` once.

The content decides the format, the file name only breaks ties: a zip holding
``word/document.xml`` is Word, OLE2/RTF/an OpenDocument zip are converted, ``%PDF`` is
read by :mod:`graph.readers.pdf` (and by OCR when it has no text layer), text that is a whole
HTML document is HTML even when named ``.txt``, and ``.html``/``.htm`` text is HTML.
Line ends are always ``\\n``.

>>> read_card_bytes("1- عنوان خدمت:\\tصدور مجوز\\r\\n".encode("cp1256"), "card.txt")
'1- عنوان خدمت:\\tصدور مجوز\\n'
>>> read_card_bytes(b"GIF89a...", "card.gif")
Traceback (most recent call last):
graph.errors.CardError: card.gif: binary content, not a card format (text, HTML, Word, PDF, scan)
"""

from __future__ import annotations

from pathlib import Path, PurePath

from graph.errors import CardError
from graph.readers.convert import Converted, legacy_kind, to_docx
from graph.readers.encoding import BINARY, decode_text
from graph.readers.files import CARD_SUFFIXES, MAX_CARD_BYTES, card_files, read_file, too_big
from graph.readers.layout import CHECKED, UNCHECKED, CardText
from graph.readers.markup import html_text, looks_like_html
from graph.readers.wordml import docx_text

__all__ = [
    "CARD_SUFFIXES",
    "CHECKED",
    "MAX_CARD_BYTES",
    "UNCHECKED",
    "CardText",
    "card_files",
    "read_card",
    "read_card_bytes",
]

_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_PDF_MAGIC = b"%PDF-"
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")  # scans: read by OCR
_BINARY_MAGIC = (
    b"GIF8",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
    b"\x7fELF",
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def _limit(max_bytes: int | None) -> int:
    return MAX_CARD_BYTES if max_bytes is None else max_bytes


def read_card(
    path: Path | str, *, max_bytes: int | None = None, converted: Converted | None = None
) -> str:
    """Read the card file at ``path`` (text, HTML, Word, OpenDocument, RTF, PDF, scan).

    Raises :class:`CardError` naming the path for a missing file, a directory or other
    non-regular file, an empty, oversized, binary or undecodable file, a broken PDF.
    ``converted`` holds the legacy documents of a batch already converted
    (:func:`graph.readers.convert.convert_batch`); others are converted one by one.
    """
    source = str(path)
    data = read_file(path, _limit(max_bytes))
    return _read(data, Path(path).name, source, converted)


def read_card_bytes(
    data: bytes, name: str, *, max_bytes: int | None = None, converted: Converted | None = None
) -> str:
    """Read an uploaded card; ``name`` gives the extension and names it in errors."""
    source = name or "<upload>"
    limit = _limit(max_bytes)
    if len(data) > limit:
        raise too_big(source, len(data), limit)
    return _read(bytes(data), PurePath(name or "upload").name, source, converted)


def _read(data: bytes, name: str, source: str, converted: Converted | None) -> str:
    if not data:
        raise CardError(source, "empty file")
    suffix = PurePath(name).suffix.lower()
    head = data[:16]
    if head.startswith(_PDF_MAGIC) or (suffix == ".pdf" and _PDF_MAGIC in data[:1024]):
        from graph.readers.pdf import pdf_text  # PDFium loads only when a PDF comes

        return _nonblank(pdf_text(data, source), source)
    if legacy_kind(data, source):
        return _nonblank(docx_text(to_docx(data, source, converted), source), source)
    if head.startswith(_ZIP_MAGIC):
        return _nonblank(docx_text(data, source), source)
    if suffix == ".docx":
        raise CardError(source, "corrupt .docx: not a zip archive")
    if head.startswith(_IMAGE_MAGIC):
        from graph.readers.scan import image_text  # numpy/Pillow only when a scan comes

        return _nonblank(image_text(data, source), source)
    if head.startswith(_BINARY_MAGIC):
        raise CardError(source, BINARY)
    decoded = decode_text(data, source)
    text = decoded.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    if not text.strip():
        raise CardError(source, "empty file (only whitespace)")
    if suffix in _HTML_SUFFIXES or looks_like_html(text):
        text = _nonblank(html_text(text), source)
    warnings = decoded.warnings if isinstance(decoded, CardText) else ()
    return CardText(text, warnings) if warnings else text


def _nonblank(text: str, source: str) -> str:
    """``text`` of a document, refused when it holds nothing or more than a text card may."""
    if not text.strip():
        raise CardError(source, "no card text: the document shows no text")
    if len(text) > MAX_CARD_BYTES:
        raise CardError(source, f"document text is {len(text)} characters, over {MAX_CARD_BYTES}")
    return text
