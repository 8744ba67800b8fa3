"""Born-digital PDF cards as text in the reader layout, read from the page geometry.

Agencies publish their cards as PDF files printed from Word, LibreOffice or a browser.
:func:`pdf_text` opens one with PDFium (pypdfium2: Apache-2.0/BSD, a compiled wheel, about
ten times faster than pdfminer.six on these cards; the measurements are in the README) and
rebuilds the card from where things are drawn, not from the content stream's order:

* text lines in logical order whatever order the producer wrote (:mod:`.order`);
* table rows and cells from the ruling lines, right to left, a wrapped cell kept whole, a
  row cut by a page break joined again (:mod:`.grid`);
* checkboxes from AcroForm check-box fields, checkbox glyphs of symbol fonts (Wingdings,
  ZapfDingbats, ☐ ☑ ☒) and vector squares with or without a tick (:mod:`.boxes`); a box
  whose state cannot be decided is left out with a warning.

Untrusted files are bounded: size by the caller, pages (:data:`MAX_PAGES`), page size
(:data:`MAX_PAGE_PT`) and time (:data:`MAX_SECONDS`) here. A PDF with no text layer (a
scan) is recognised by :func:`has_text_layer` and read by OCR (:func:`graph.readers.scan.ocr_pdf`),
and so is a PDF whose text layer cannot be decoded (:func:`undecodable_share`): fonts
embedded without a Unicode map, or legacy Persian fonts that put their letters on Latin
code points, give control characters and Latin or Cyrillic letters where the page shows
Persian, and not one form label would be found in them.
"""

from __future__ import annotations

import re
import time

import pypdfium2 as pdfium

from graph.errors import CardError
from graph.readers.layout import CardText, Layout
from graph.readers.pdf.boxes import vector_boxes
from graph.readers.pdf.grid import BOX_MARKS, Row, join_split_row, page_rows
from graph.readers.pdf.page import Page, read_page

__all__ = [
    "MAX_PAGES",
    "MAX_PAGE_PT",
    "MAX_SECONDS",
    "UNDECODABLE",
    "has_text_layer",
    "pdf_text",
    "undecodable_share",
]

MAX_PAGES = 60
MAX_PAGE_PT = 5000.0  # about 1.76 m: larger pages are posters or attacks, not forms
MAX_SECONDS = 30.0
_MARK_STATE = {mark: state for state, mark in BOX_MARKS.items()}
UNDECODABLE = 0.02
"""Share of undecodable characters from which a text layer is read by OCR instead: a
readable card has none (0.000 on every PDF of the corpus), one whose fonts lack a Unicode
map has 4-74 % (measured on the corpus with its ToUnicode maps removed)."""
# Control characters, private use outside the symbol fonts' F000-F0FF, U+FFFD, and the
# Latin-1/Latin Extended and Greek/Cyrillic letters that undecoded glyph codes turn into.
_UNDECODABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00c0-\u024f\u0370-\u052f\ue000-\uefff\uf100-\uf8ff\ufffd]"
)


def _why(exc: Exception) -> str:
    """PDFium's reason, as in ``Failed to load page (PDFium: Data format error).``"""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    inner = re.search(r"PDFium: ([^)]*)", text)
    return (inner.group(1) if inner else text).strip(" .").lower()[:160]


def _open(data: bytes, source: str) -> pdfium.PdfDocument:
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = _why(exc)
        if "password" in reason or "security" in reason:
            raise CardError(source, "encrypted PDF (password protected); cannot read") from None
        raise CardError(source, f"corrupt PDF ({reason})") from None
    if len(doc) == 0:
        doc.close()
        raise CardError(source, "PDF has no pages")
    if len(doc) > MAX_PAGES:
        pages = len(doc)
        doc.close()
        raise CardError(source, f"PDF has {pages} pages, over the {MAX_PAGES}-page limit")
    return doc


def has_text_layer(pages: list[Page]) -> bool:
    """True when the PDF carries text to read; False for a scan (images only).

    A page counts when it holds a few visible characters; a scan's OCR-less pages hold none.
    """
    return sum(1 for p in pages for g in p.glyphs if not g.text.isspace()) >= 20


def undecodable_share(pages: list[Page]) -> float:
    """The share of a PDF's visible characters that have no Unicode meaning.

    >>> from graph.readers.pdf.page import Glyph
    >>> page = Page(100, 100, glyphs=[Glyph(c, 0, 1, 0, 1) for c in "خدمت\x03\x07"])
    >>> round(undecodable_share([page]), 2)
    0.33
    """
    text = "".join(g.text for p in pages for g in p.glyphs if g.box is None)
    text = "".join(text.split())
    return len(_UNDECODABLE.findall(text)) / len(text) if text else 0.0


def _emit(text: str, out: Layout) -> None:
    start = 0
    for i, ch in enumerate(text):
        if ch in _MARK_STATE:
            out.text(text[start:i])
            out.checkbox(_MARK_STATE[ch])
            start = i + 1
    out.text(text[start:])


def _write(rows: list[Row], out: Layout) -> None:
    for row in rows:
        if not row.table:
            if out.in_table:
                out.end_table()
            _emit(row.cells[0], out)
            out.brk()
            continue
        if not out.in_table:
            out.start_table()
        out.start_row()
        for cell in row.cells:
            out.start_cell()
            _emit(cell, out)
            out.end_cell()
        out.end_row()
    if out.in_table:
        out.end_table()


def _full_line(pages: list[Page], laid: list[list[Row]]) -> float:
    """How far down a page a table must reach to count as filling it: the lowest page end
    of any page, less a text line. A producer that splits rows fills a page to its last
    line before it cuts one."""
    ends = [rows[-1].bottom for rows in laid if rows]
    sizes = sorted(g.size for page in pages for g in page.glyphs[:200])
    line = 1.6 * sizes[len(sizes) // 2] if sizes else 16.0
    return max(ends, default=0.0) - line


def pdf_text(data: bytes, source: str) -> CardText:
    """The text of a born-digital PDF card in the :mod:`graph.readers.layout` format."""
    started = time.monotonic()
    doc = _open(data, source)
    try:
        doc.init_forms()
        pages: list[Page] = []
        for index in range(len(doc)):
            page = doc[index]
            try:
                width, height = page.get_size()
                if max(width, height) > MAX_PAGE_PT:
                    raise CardError(
                        source, f"page {index + 1} is {width:.0f}x{height:.0f} pt, over the limit"
                    )
                pages.append(read_page(doc, page))
            finally:
                page.close()
            if time.monotonic() - started > MAX_SECONDS:
                raise CardError(source, f"PDF took over {MAX_SECONDS:.0f} s to read; stopped")
    except pdfium.PdfiumError as exc:
        raise CardError(source, f"corrupt PDF ({_why(exc)})") from None
    finally:
        doc.close()
    share = undecodable_share(pages)
    if not has_text_layer(pages) or share >= UNDECODABLE:
        from graph.readers.scan import ocr_pdf  # Tesseract only when a scan comes

        read = ocr_pdf(data, source)
        if has_text_layer(pages):
            why = (
                f"the text layer cannot be decoded ({share:.0%} of its characters have no "
                "Unicode meaning: fonts without a Unicode map); the pages were read by OCR"
            )
            return CardText(read, [why, *read.warnings])
        return read
    warnings: list[str] = []
    laid = []
    for number, page in enumerate(pages, 1):
        if page.images and not page.glyphs:
            warnings.append(f"page {number} is an image with no text layer; not read")
        boxes, notes = vector_boxes(page.parts, number)
        warnings += notes
        laid.append(page_rows(page, page.glyphs + boxes + page.widgets))
    rows: list[Row] = []
    full = _full_line(pages, laid)
    for here in laid:
        if rows and here and join_split_row(rows[-1], here[0], rows[-1].bottom >= full):
            here = here[1:]
        rows += here
    out = Layout()
    _write(rows, out)
    return CardText(out.result(), warnings)
