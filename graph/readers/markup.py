"""HTML cards (saved web forms, Word's "Save as web page") as text, with the stdlib parser.

Tags are parsed by :class:`html.parser.HTMLParser`, never stripped with a regex: script,
style, head, template and similar content is dropped, table cells and rows go through
:class:`~graph.readers.layout.Layout` (TAB between cells, a row per line, ``rowspan``
leaving an empty cell in the rows below as the example ``.txt`` cards show), and every
checkbox or radio input (or element with ``role="checkbox"``) becomes the canonical
checkbox markup, checked when it has ``checked`` or ``aria-checked="true"``. Entities are
decoded by the parser itself (character references only, no DTD, so no expansion attack).

Python 3.11's HTMLParser rescans unterminated constructs (``<a<a<a…``, ``<!--<!--…``) and
takes quadratic time on them, and asserts on some ``<![`` forms. :func:`_defuse` therefore
runs first, in one linear pass: comments, declarations and processing instructions are
removed and a ``<`` that does not open a complete tag becomes ``&lt;`` (which is what a
browser shows for it). The parser then only ever sees complete tags.

>>> html_text('<table><tr><td>نوع</td><td><input type="checkbox" checked> G2C</td></tr></table>')
'نوع\\t<input checked="" type="checkbox"/> G2C'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from graph.readers.glyphs import write_text
from graph.readers.layout import Layout

__all__ = ["html_text", "looks_like_html"]

_TAG = re.compile(r"</?[A-Za-z][^<>\"']*(?:(?:\"[^\"<]*\"|'[^'<]*')[^<>\"']*)*>")
_BOGUS = re.compile(r"<[!?/][^<>]*>")
_DOCUMENT = re.compile(r"\s*(?:<\?xml[^<>]*>\s*)?<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)
_STRUCTURE = re.compile(r"<(?:table|tr|td|th|p|div|body|li|br)[\s/>]", re.IGNORECASE)
_WHITESPACE = re.compile(r"[ \t\n\r\f\xa0]+")
_SKIP = frozenset(
    {"script", "style", "template", "noscript", "title", "svg", "math", "iframe", "object"}
)
_HEAD_ONLY = frozenset({"title", "meta", "link", "style", "script", "base", "noscript", "template"})
_BLOCK = frozenset(
    "p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote pre address section article "
    "aside header footer nav main form fieldset legend figure figcaption caption hr "
    "center details summary".split()
)
_TEXT_INPUTS = frozenset({"text", "search", "email", "tel", "number", "url", "date"})
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_FONT_FAMILY = re.compile(r"(?:^|;)\s*font-family\s*:\s*['\"]?([^,;'\"]+)", re.IGNORECASE)
_MAX_OPEN = 500  # open elements whose font is remembered
_MAX_SPAN = 1000


def looks_like_html(text: str) -> bool:
    """True for a whole HTML document, or text with many structural tags and few TABs.

    The example ``.txt`` cards contain ``<input>`` and a stray ``<ul>`` but are TAB-laid
    text; they must stay on the text path.

    >>> looks_like_html("<!DOCTYPE html><p>x</p>"), looks_like_html("a\\t<input type=checkbox/>")
    (True, False)
    """
    if _DOCUMENT.match(text[:4096]):
        return True
    tags = sum(1 for _ in zip(range(1000), _STRUCTURE.finditer(text), strict=False))
    return tags >= 10 and text.count("\t") < tags


def _defuse(text: str) -> str:
    """Drop comments/declarations and escape every ``<`` that opens no complete tag."""
    out: list[str] = []
    i = 0
    while True:
        j = text.find("<", i)
        if j < 0:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:j])
        if text.startswith("<!--", j):
            end = text.find("-->", j + 4)
            if end < 0:
                return "".join(out)  # an unclosed comment runs to the end, as in browsers
            i = end + 3
        elif m := _TAG.match(text, j):
            out.append(m.group())
            i = m.end()
        elif m := _BOGUS.match(text, j):
            i = m.end()
        else:
            out.append("&lt;")
            i = j + 1


def _span(value: str | None) -> int:
    digits = (value or "").strip()
    return min(int(digits), _MAX_SPAN) if digits.isdigit() and len(digits) <= 6 else 1


@dataclass
class _Grid:
    """Columns held by ``rowspan`` cells of earlier rows (column -> [rows left, width])."""

    spans: dict[int, list[int]] = field(default_factory=dict)
    pending: dict[int, int] = field(default_factory=dict)
    held: tuple[int, ...] = ()
    col: int = 0
    in_row: bool = False


class _CardParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = Layout()
        self.grids: list[_Grid] = []
        self.skip = 0
        self.in_head = False
        self.in_select = 0
        self.keep_option = False
        # (tag, font) of open elements: Word's web pages set checkboxes as Wingdings glyphs
        self.fonts: list[tuple[str, str | None]] = []

    # -- tables ---------------------------------------------------------------------------
    def _start_row(self) -> None:
        if not self.grids:
            self.out.start_table()
            self.grids.append(_Grid())
        grid = self.grids[-1]
        self._end_row()
        self.out.start_row()
        grid.in_row = True
        grid.col = 0
        grid.pending = {col: width for col, (_, width) in grid.spans.items()}
        grid.held = tuple(grid.pending)

    def _placeholder(self) -> None:
        self.out.start_cell()
        self.out.end_cell()

    def _end_row(self) -> None:
        if not self.grids or not self.grids[-1].in_row:
            return
        grid = self.grids[-1]
        for _ in sorted(c for c in grid.pending if c >= grid.col):
            self._placeholder()
        for col in grid.held:
            grid.spans[col][0] -= 1
            if grid.spans[col][0] <= 0:
                del grid.spans[col]
        grid.in_row = False
        self.out.end_row()

    def _start_cell(self, attrs: dict[str, str | None]) -> None:
        if not self.grids or not self.grids[-1].in_row:
            self._start_row()
        grid = self.grids[-1]
        while grid.col in grid.pending:
            self._placeholder()
            grid.col += grid.pending.pop(grid.col)
        width, rows = _span(attrs.get("colspan")), _span(attrs.get("rowspan"))
        if rows > 1:
            grid.spans[grid.col] = [rows - 1, width]
        grid.col += width
        self.out.start_cell()

    def _end_table(self) -> None:
        if self.grids:
            self._end_row()
            self.grids.pop()
            self.out.end_table()

    # -- HTMLParser events ----------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.in_head and tag not in _HEAD_ONLY:
            self.in_head = False
        if tag == "head":
            self.in_head = True
        if tag in _SKIP:
            self.skip += 1
        if self.skip or self.in_head:
            return
        a = dict(attrs)
        if tag not in _VOID and len(self.fonts) < _MAX_OPEN:
            self.fonts.append((tag, _font(tag, a) or (self.fonts[-1][1] if self.fonts else None)))
        if tag == "table":
            self.out.start_table()
            self.grids.append(_Grid())
        elif tag == "tr":
            self._start_row()
        elif tag in ("td", "th"):
            self._start_cell(a)
        elif tag == "br" or tag in _BLOCK:
            self.out.brk()
        elif tag == "input":
            self._input(a)
        elif tag == "select":
            self.in_select += 1
        elif tag == "option":
            self.keep_option = "selected" in a
        if tag != "input" and (a.get("role") or "").lower() in ("checkbox", "radio"):
            self.out.checkbox((a.get("aria-checked") or "").lower() == "true")

    def _input(self, a: dict[str, str | None]) -> None:
        kind = (a.get("type") or "text").lower()
        if kind in ("checkbox", "radio"):
            self.out.checkbox("checked" in a or (a.get("aria-checked") or "").lower() == "true")
        elif kind in _TEXT_INPUTS and a.get("value"):
            self.out.text(f" {a['value']} ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip or self.in_head:
            return
        for depth in range(len(self.fonts) - 1, -1, -1):
            if self.fonts[depth][0] == tag:
                del self.fonts[depth:]
                break
        if tag == "table":
            self._end_table()
        elif tag == "tr":
            self._end_row()
        elif tag in ("td", "th"):
            self.out.end_cell()
        elif tag in _BLOCK:
            self.out.brk()
        elif tag == "select":
            self.in_select = max(0, self.in_select - 1)
        elif tag == "option":
            self.keep_option = False

    def handle_data(self, data: str) -> None:
        if self.skip or self.in_head or (self.in_select and not self.keep_option):
            return
        font = self.fonts[-1][1] if self.fonts else None
        write_text(_WHITESPACE.sub(" ", data), (font, font), self.out)


def _font(tag: str, attrs: dict[str, str | None]) -> str | None:
    """The first font family an element sets (``style`` or ``<font face>``), if any.

    >>> _font("span", {"style": "mso-bidi-font-size:10pt;font-family:Wingdings"})
    'Wingdings'
    >>> _font("font", {"face": "Wingdings 2, serif"}), _font("p", {"style": "color:red"})
    ('Wingdings 2', None)
    """
    if tag == "font" and attrs.get("face"):
        return (attrs["face"] or "").split(",")[0].strip(" '\"") or None
    found = _FONT_FAMILY.search(attrs.get("style") or "")
    return found.group(1).strip() if found else None


def html_text(text: str) -> str:
    """The visible text of an HTML card in the :mod:`graph.readers.layout` format."""
    parser = _CardParser()
    parser.feed(_defuse(text))
    parser.close()
    while parser.grids:
        parser._end_table()
    return parser.out.result()
