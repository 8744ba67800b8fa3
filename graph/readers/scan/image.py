"""Pages of a scan as grey pixel arrays at one working resolution, straightened.

Scans arrive as image-only PDFs (rendered with pypdfium2, the renderer pdfplumber uses) or
as PNG/JPEG/TIFF files (Pillow). Every page becomes a ``uint8`` array at :data:`DPI`, the
resolution Tesseract's models are trained near: a 150-dpi office scan is enlarged, a
600-dpi one reduced, so that the geometry tests below (line lengths, box sizes) can be
written in inches. Untrusted input is bounded: pages per file and pixels per page are
capped before anything is decoded at full size.

A sheet fed a little askew gives tilted rulings and text lines; :func:`deskew` finds the
angle (under :data:`MAX_SKEW_DEG`) at which the rows of ink are sharpest and turns it back.

>>> import numpy as np
>>> page = np.full((400, 600), 255, np.uint8); page[100:103, 50:550] = 0
>>> tilted = np.asarray(Image.fromarray(page).rotate(1.2, fillcolor=255))
>>> round(skew_angle(ink(tilted)), 1)
1.2
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from graph.errors import CardError

__all__ = ["DPI", "MAX_PAGES", "MAX_SKEW_DEG", "deskew", "image_pages", "ink", "pdf_pages"]

DPI = 300
"""Working resolution of every page, in dots per inch."""
MAX_PAGES = 20
"""Pages (PDF pages or image frames) read from one file."""
MAX_PAGE_PIXELS = 40_000_000
"""Pixels of one page at the working resolution (A4 at 300 dpi is 8.7 million)."""
MAX_SKEW_DEG = 3.0
UNREADABLE = "unreadable image: cannot decode it as PNG, JPEG or TIFF"

_A4_WIDTH_IN = 8.27


def pdf_pages(data: bytes, source: str, max_pages: int = MAX_PAGES) -> Iterator[np.ndarray]:
    """The pages of a PDF rendered in grey at :data:`DPI`."""
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CardError(source, f"unreadable PDF: {_reason(exc)}") from None
    try:
        if len(doc) > max_pages:
            raise CardError(source, f"{len(doc)} pages, over the {max_pages}-page limit for OCR")
        for index in range(len(doc)):
            page = doc[index]
            width, height = page.get_size()
            scale = DPI / 72
            if width * height * scale * scale > MAX_PAGE_PIXELS:
                raise CardError(
                    source,
                    f"page {index + 1} is {width / 72:.0f}x{height / 72:.0f} inches, "
                    f"too large to read by OCR",
                )
            bitmap = page.render(scale=scale, grayscale=True)
            yield np.array(bitmap.to_pil().convert("L"))
    finally:
        doc.close()


def image_pages(data: bytes, source: str, max_pages: int = MAX_PAGES) -> Iterator[np.ndarray]:
    """The frames of a PNG/JPEG/TIFF file in grey at :data:`DPI` (TIFF may hold several).

    Pillow's decoders raise many kinds of exception on damaged files (OSError, ValueError,
    SyntaxError, EOFError, struct.error ...); every one of them is this file's fault, so
    each is one :class:`CardError`.
    """
    try:
        image = Image.open(io.BytesIO(data))
        frames = getattr(image, "n_frames", 1)
    except Image.DecompressionBombError:
        raise CardError(source, "image too large to read by OCR") from None
    except Exception:
        raise CardError(source, UNREADABLE) from None
    if frames > max_pages:
        raise CardError(source, f"{frames} images, over the {max_pages}-page limit for OCR")
    dpi = image.info.get("dpi")
    for index in range(frames):
        try:
            image.seek(index)
            width, height = image.size
        except Exception:
            raise CardError(source, f"{UNREADABLE} (image {index + 1})") from None
        scale = _scale(width, dpi)
        if width * height * max(scale, 1) ** 2 > MAX_PAGE_PIXELS:
            raise CardError(source, f"image {index + 1} is {width}x{height} pixels, too large")
        try:
            grey = image.convert("L")
        except Exception:
            raise CardError(source, f"{UNREADABLE} (image {index + 1})") from None
        if abs(scale - 1) > 0.05:
            size = (round(width * scale), round(height * scale))
            grey = grey.resize(size, Image.Resampling.BICUBIC)
        yield np.array(grey)


def _scale(width: int, dpi: object) -> float:
    """Enlargement to :data:`DPI`: from the file's own resolution, else from an A4 width."""
    if isinstance(dpi, tuple) and dpi and float(dpi[0]) >= 50:
        return DPI / float(dpi[0])
    return min(3.0, max(0.5, DPI * _A4_WIDTH_IN / width))


def _reason(exc: Exception) -> str:
    text = str(exc)
    return "password-protected (encrypted)" if "password" in text.lower() else text


def ink(page: np.ndarray) -> np.ndarray:
    """Dark pixels, split from the paper by Otsu's threshold on the page's histogram."""
    hist = np.bincount(page.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256)
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * levels)
    total, total_mean = weight[-1], mean[-1]
    back = total - weight
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mean * weight - mean * total) ** 2 / (weight * back)
    between = np.nan_to_num(between[:-1], nan=-1.0)
    threshold = int(np.argmax(between)) if between.max() > 0 else 127  # one grey: no ink
    return page <= min(threshold, 200)


def skew_angle(mask: np.ndarray) -> float:
    """The rotation (degrees, counter-clockwise) that the page's ink rows show.

    Projects a sample of ink pixels onto the vertical axis at candidate angles; rows of
    text and rulings give the sharpest profile (largest sum of squares) when level.
    """
    ys, xs = np.nonzero(mask)
    if len(ys) < 100:
        return 0.0
    if len(ys) > 200_000:
        pick = np.random.default_rng(0).choice(len(ys), 200_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    ys, xs = ys.astype(np.float64), xs.astype(np.float64)

    def sharpness(deg: float) -> float:
        rad = np.deg2rad(deg)
        rows = np.round(ys * np.cos(rad) + xs * np.sin(rad)).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float(np.dot(counts, counts))

    best = max(np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 1e-9, 0.2), key=sharpness)
    return float(max(np.arange(best - 0.2, best + 0.2 + 1e-9, 0.02), key=sharpness))


def deskew(page: np.ndarray) -> np.ndarray:
    """The page turned level when it is tilted by a small angle."""
    angle = skew_angle(ink(page))
    if abs(angle) < 0.05:
        return page
    turned = Image.fromarray(page).rotate(-angle, Image.Resampling.BICUBIC, fillcolor=255)
    return np.array(turned)
