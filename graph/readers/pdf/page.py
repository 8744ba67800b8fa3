"""What a PDF page holds for the card reader: glyphs, ruling lines and checkbox parts.

PDFium (pypdfium2) is asked for raw geometry only -- each character's box and font, each
path's bounds, segments and colours, each form widget's rectangle and state -- and the
reader builds lines, cells and checkboxes from that itself (:mod:`.grid`, :mod:`.boxes`),
so no extractor heuristic decides the card's structure. Coordinates are PDF points with
``top`` growing down the page.
"""

from __future__ import annotations

import ctypes
import itertools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from graph.readers.glyphs import DROP, glyph_state

__all__ = ["Glyph", "Page", "Part", "Rule", "read_page"]

_BOXES = {"☐": False, "☑": True, "☒": True}
_LAM = "\u0644"
_ALEFS = frozenset("\u0627\u0622\u0623\u0625")
_THIN = 2.5  # a path thinner than this (pt) is a ruling line
_LONG = 6.0
_MAX_SEGMENTS = 2000
_MAX_FIELDS = 2000  # form fields read on one page
_MAX_VALUE = 10_000  # characters of one field's value
_FIELD_KINDS = frozenset(
    {
        raw.FPDF_FORMFIELD_CHECKBOX,
        raw.FPDF_FORMFIELD_RADIOBUTTON,
        raw.FPDF_FORMFIELD_TEXTFIELD,
        raw.FPDF_FORMFIELD_COMBOBOX,
    }
)


@dataclass(slots=True)
class Glyph:
    """One drawn unit: a character, a ligature's characters, or a checkbox (``box``)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    box: bool | None = None
    size: float = 10.0  # font size in pt (word gaps are measured in it)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Rule:
    """A horizontal (``y`` fixed, ``a``-``b`` in x) or vertical (``x`` fixed) ruling line."""

    at: float
    a: float
    b: float


@dataclass(slots=True)
class Part:
    """A small path that may be (part of) a checkbox: its bounds and how it is painted."""

    x0: float
    top: float
    x1: float
    bottom: float
    closed: bool
    fill: tuple[int, int, int] | None
    stroke: bool


@dataclass
class Page:
    width: float
    height: float
    glyphs: list[Glyph] = field(default_factory=list)
    rows: list[Rule] = field(default_factory=list)  # horizontal rulings
    cols: list[Rule] = field(default_factory=list)  # vertical rulings
    parts: list[Part] = field(default_factory=list)
    widgets: list[Glyph] = field(default_factory=list)  # AcroForm check boxes
    images: int = 0


def _font(textpage: pdfium.PdfTextPage, index: int) -> str:
    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    raw.FPDFText_GetFontInfo(textpage.raw, index, buf, 128, ctypes.byref(flags))
    name = buf.value.decode("latin-1")
    return name.split("+", 1)[-1].split(",")[0].replace("-", " ")


def _symbol_state(font: str, ch: str) -> bool | str | None:
    if ch in _BOXES:
        return _BOXES[ch]
    base = font.casefold()
    if "zapfdingbats" in base.replace(" ", "") or "dingbats" in base:
        if ch in _DINGBATS:
            return _DINGBATS[ch]
        return _ZAPF.get(ord(ch) & 0xFF, DROP) if ord(ch) < 0x100 else None
    compact = base.replace(" ", "").replace("-", "")  # PostScript names: Wingdings2
    for prefix, name in (("wingdings2", "wingdings 2"), ("wingdings3", None)):
        if compact.startswith(prefix):
            return glyph_state(name, ch) if name else None
    return glyph_state("wingdings", ch) if compact.startswith("wingdings") else None


# ZapfDingbats by code (no ToUnicode) and by Unicode: ✓✔✕✖✗✘ mark a chosen box; ❏❐❑❒
# are empty boxes; ■ a filled one.
_DINGBATS = dict.fromkeys("✓✔✕✖✗✘", True) | dict.fromkeys("❏❐❑❒", False)
_ZAPF = dict.fromkeys((0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x6E), True) | dict.fromkeys(
    (0x6F, 0x70, 0x71, 0x72), False
)


def _size(textpage: pdfium.PdfTextPage, index: int, matrix: raw.FS_MATRIX) -> float:
    """The glyph's font size in page points (PDFium's figure is before the text matrix)."""
    raw.FPDFText_GetMatrix(textpage.raw, index, ctypes.byref(matrix))
    scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0
    return raw.FPDFText_GetFontSize(textpage.raw, index) * scale or 10.0


def _glyphs(textpage: pdfium.PdfTextPage, height: float) -> list[Glyph]:
    out: list[Glyph] = []
    rect = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    last_box: tuple[float, float, float, float] | None = None
    for i in range(textpage.count_chars()):
        if raw.FPDFText_IsGenerated(textpage.raw, i) == 1:
            continue
        code = raw.FPDFText_GetUnicode(textpage.raw, i)
        if code in (0, 0xD, 0xA) or code > 0x10FFFF:
            continue
        ch = chr(code)
        raw.FPDFText_GetLooseCharBox(textpage.raw, i, ctypes.byref(rect))
        box = (rect.left, rect.right, height - rect.top, height - rect.bottom)
        if ch.isspace() and rect.right - rect.left < 0.1:
            continue  # a zero-width space drawn anywhere (Chromium): gaps tell words apart
        if ch.isspace():
            ch = " "
        if out and unicodedata.combining(ch):
            out[-1].text += ch  # a mark belongs to the letter before it
            continue
        if code < 0x100 or 0xF000 <= code <= 0xF0FF or 0x2700 <= code <= 0x27BF or ch in _BOXES:
            state = _symbol_state(_font(textpage, i), ch)
            if state is DROP:
                continue
            if isinstance(state, bool):
                out.append(Glyph("\ufffc", *box, box=state))
                last_box = None
                continue
        if box == last_box and out and not ch.isspace():
            prev = out[-1].text  # one glyph, several characters: keep them as written,
            if ch == _LAM and prev in _ALEFS:  # but a lam-alef is lam first
                out[-1].text = ch + prev
            else:
                out[-1].text = prev + ch
            continue
        out.append(Glyph(ch, *box, size=_size(textpage, i, matrix)))
        last_box = box
    return out


def _color(obj: pdfium.PdfObject, getter: Callable[..., object]) -> tuple[int, int, int]:
    """(r, g, b) of ``obj`` read by ``getter`` (a PDFium ``FPDFPageObj_Get*Color``)."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    getter(obj.raw, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a))
    return r.value, g.value, b.value


def _segments(obj: pdfium.PdfObject) -> list[tuple[float, float, bool]]:
    """(x, y, closes) of each point of the path, in page space."""
    m = obj.get_matrix()
    x, y = ctypes.c_float(), ctypes.c_float()
    points = []
    count = raw.FPDFPath_CountSegments(obj.raw)
    for i in range(min(count, _MAX_SEGMENTS)):
        seg = raw.FPDFPath_GetPathSegment(obj.raw, i)
        raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        px = m.a * x.value + m.c * y.value + m.e
        py = m.b * x.value + m.d * y.value + m.f
        points.append((px, py, bool(raw.FPDFPathSegment_GetClose(seg))))
    return points


def _path(obj: pdfium.PdfObject, page: Page) -> None:
    left, bottom, right, top = obj.get_bounds()
    top, bottom = page.height - top, page.height - bottom
    w, h = right - left, bottom - top
    mode, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(mode), ctypes.byref(stroke))
    filled, stroked = mode.value != 0, bool(stroke.value)
    if not filled and not stroked:
        return
    if w <= _THIN and h >= _LONG:
        page.cols.append(Rule((left + right) / 2, top, bottom))
        return
    if h <= _THIN and w >= _LONG:
        page.rows.append(Rule((top + bottom) / 2, left, right))
        return
    if w <= 24 and h <= 24:
        points = _segments(obj)
        closed = bool(points) and (
            points[-1][2]
            or abs(points[0][0] - points[-1][0]) + abs(points[0][1] - points[-1][1]) < 0.5
        )
        fill = _color(obj, raw.FPDFPageObj_GetFillColor) if filled else None
        page.parts.append(Part(left, top, right, bottom, closed, fill, stroked))
        return
    if not stroked and _color(obj, raw.FPDFPageObj_GetFillColor) == (255, 255, 255):
        return  # a white background
    points = _segments(obj)
    for (x0, y0, _), (x1, y1, _) in itertools.pairwise(points):
        y0, y1 = page.height - y0, page.height - y1
        if abs(y0 - y1) < 1 and abs(x1 - x0) >= _LONG:
            page.rows.append(Rule(y0, min(x0, x1), max(x0, x1)))
        elif abs(x0 - x1) < 1 and abs(y1 - y0) >= _LONG:
            page.cols.append(Rule(x0, min(y0, y1), max(y0, y1)))


def _widgets(doc: pdfium.PdfDocument, page: pdfium.PdfPage, out: Page) -> None:
    """AcroForm fields: check boxes as boxes, and the values of text and choice fields as
    text where the field sits.

    A filled-in fillable form keeps its values in the fields, not in the page's content
    (their appearance is drawn apart, and a text page does not include it), so without this
    a card typed into a fillable PDF would read as its empty form. A value is one unit in
    logical order (as typed), a line of it per line of the field.
    """
    form = doc.formenv
    if form is None:
        return
    rect = raw.FS_RECTF()
    for i in range(min(raw.FPDFPage_GetAnnotCount(page.raw), _MAX_FIELDS)):
        annot = raw.FPDFPage_GetAnnot(page.raw, i)
        try:
            kind = raw.FPDFAnnot_GetFormFieldType(form.raw, annot)
            if kind not in _FIELD_KINDS:
                continue
            raw.FPDFAnnot_GetRect(annot, ctypes.byref(rect))
            x0, x1 = sorted((rect.left, rect.right))
            y0, y1 = sorted((out.height - rect.top, out.height - rect.bottom))
            if kind in (raw.FPDF_FORMFIELD_CHECKBOX, raw.FPDF_FORMFIELD_RADIOBUTTON):
                checked = bool(raw.FPDFAnnot_IsChecked(form.raw, annot))
                out.widgets.append(Glyph("\ufffc", x0, x1, y0, y1, box=checked))
                continue
            lines = [line.strip() for line in _field_value(form, annot).splitlines()]
            lines = [line for line in lines if line]
            step = (y1 - y0) / max(len(lines), 1)
            for n, line in enumerate(lines):
                top = y0 + n * step
                out.glyphs.append(Glyph(line, x0, x1, top, top + step, size=min(step, 12.0)))
        finally:
            raw.FPDFPage_CloseAnnot(annot)


def _field_value(form: pdfium.PdfFormEnv, annot: Any) -> str:
    """A text or choice field's value (UTF-16LE from pdfium), at most _MAX_VALUE characters."""
    size = raw.FPDFAnnot_GetFormFieldValue(form.raw, annot, None, 0)
    if size <= 2:
        return ""
    size = min(size, 2 * _MAX_VALUE + 2)
    buffer = ctypes.create_string_buffer(size)
    wide = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    raw.FPDFAnnot_GetFormFieldValue(form.raw, annot, wide, size)
    return buffer.raw[: size - 2].decode("utf-16-le", "replace")


def read_page(doc: pdfium.PdfDocument, page: pdfium.PdfPage) -> Page:
    """The geometry of one page."""
    width, height = page.get_size()
    out = Page(width, height)
    textpage = page.get_textpage()
    try:
        out.glyphs = _glyphs(textpage, height)
    finally:
        textpage.close()
    for obj in page.get_objects(
        filter=(raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE), max_depth=4
    ):
        if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
            out.images += 1
        else:
            _path(obj, out)
    _widgets(doc, page, out)
    return out
