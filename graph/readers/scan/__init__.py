"""Scanned cards: image-only PDFs and PNG/JPEG/TIFF images, read by OCR.

A card printed and scanned has no text layer, only pixels. Each page is read by
:func:`~graph.readers.scan.page.read_page` (deskew, table cells from the rulings, checkbox
state from the ink in each square, Tesseract's Persian model on every cell) into the same
layout the other readers give, so the parser needs no change. OCR makes mistakes a curator
must be able to find: every page's mean word confidence is one of the returned
:class:`~graph.readers.layout.CardText`'s warnings, as is every checkbox whose state could
not be decided (left unmarked rather than guessed).

Bounded for untrusted files: at most :data:`~.image.MAX_PAGES` pages or images, a cap on
pixels per page, and :data:`MAX_SECONDS` of OCR per file. Tesseract or its ``fas`` model
missing is one :class:`~graph.errors.CardError` that names the packages to install.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np

from graph.errors import CardError
from graph.readers.layout import CardText, Layout
from graph.readers.scan.image import image_pages, pdf_pages
from graph.readers.scan.page import read_page
from graph.readers.scan.tesseract import require_tesseract

__all__ = ["MAX_SECONDS", "image_text", "ocr_pdf"]

MAX_SECONDS = 240.0
"""OCR time allowed for one file, all pages together."""


def ocr_pdf(data: bytes, source: str, max_seconds: float = MAX_SECONDS) -> CardText:
    """The text of an image-only (scanned) PDF, read by OCR, with confidence warnings."""
    binary = require_tesseract(source)
    return _read(pdf_pages(data, source), binary, source, max_seconds)


def image_text(data: bytes, source: str, max_seconds: float = MAX_SECONDS) -> CardText:
    """The text of a scanned card saved as PNG, JPEG or (multi-page) TIFF, read by OCR."""
    binary = require_tesseract(source)
    return _read(image_pages(data, source), binary, source, max_seconds)


def _read(pages: Iterator[np.ndarray], binary: str, source: str, max_seconds: float) -> CardText:
    deadline = time.monotonic() + max_seconds
    out = Layout()
    warnings: list[str] = []
    read_any = False
    for number, pixels in enumerate(pages, start=1):
        left = deadline - time.monotonic()
        if left <= 0:
            raise CardError(source, f"OCR took over the {max_seconds:.0f} s time limit")
        reading = read_page(pixels, binary, source, left)
        reading.write(out)
        if reading.confidence is None:
            warnings.append(f"page {number}: no text found by OCR")
            continue
        read_any = True
        warnings.append(
            f"page {number}: read by OCR, mean confidence {reading.confidence:.2f}; "
            f"check the values"
        )
        if reading.undecided:
            warnings.append(
                f"page {number}: {reading.undecided} checkbox(es) neither clearly empty nor "
                f"marked; left unmarked"
            )
    if not read_any:
        raise CardError(source, "no text found by OCR on any page")
    return CardText(out.result(), warnings)
