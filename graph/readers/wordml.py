"""Word (.docx) cards as text, walking the WordprocessingML tree in document order.

python-docx's ``Document.paragraphs``/``tables`` lose the order between them, skip content
controls (``w:sdt``) and repeat horizontally merged cells, and its ``Run.text`` drops the
checkbox state that Word keeps in form fields, content controls and symbol-font glyphs.
So this module finds the main document part through the package relationships and walks
its lxml body itself, writing through :class:`~graph.readers.layout.Layout`.

Checkboxes become the canonical markup from four sources: content-control checkboxes
(``w14:checkbox``/``w14:checked``), legacy form fields (``w:ffData/w:checkBox`` with
``w:checked`` or ``w:default``), Wingdings glyphs in runs and ``w:sym`` elements (see
:mod:`graph.readers.glyphs`). Deleted revisions, hidden text, field codes, placeholder text
of empty content controls and pictures are not card text and are skipped; the text of a
text box (``w:txbxContent`` in a drawing or a VML picture) is card text, written where the
box is anchored, each box once (Word writes it twice, in ``mc:Choice`` and ``mc:Fallback``).

The package is read through :class:`~graph.readers.archive.Package`: only the main document
part is inflated and parsed, as a stream with its real size, element count and depth
bounded, so a zip bomb or an XML part of millions of elements is refused early and cheaply.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from graph.errors import CardError
from graph.readers.archive import Package
from graph.readers.encoding import BINARY
from graph.readers.glyphs import glyph_state, sym_char, write_text
from graph.readers.layout import Layout

__all__ = ["docx_text"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_MAIN = "word/document.xml"
_RELS = "_rels/.rels"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAX_DEPTH = 64  # nested tables / content controls
_OFF = frozenset({"0", "false", "off"})
# Run children that may hold text boxes.
_DRAWN = frozenset({W + "drawing", W + "pict", W + "object", MC + "AlternateContent"})
# Inline wrappers whose runs are shown as written.
_CONTAINERS = frozenset(
    W + tag
    for tag in ("hyperlink", "ins", "smartTag", "customXml", "fldSimple", "moveTo", "dir", "bdo")
)


def _on(element: etree._Element | None, default: bool = False) -> bool:
    """Value of an ST_OnOff element: present without ``w:val`` means on."""
    if element is None:
        return default
    value = element.get(W + "val", element.get(W14 + "val", "true"))
    return value.strip().lower() not in _OFF


def _main_part(package: Package) -> str:
    """The main document part named by the package relationships (``word/document.xml``)."""
    if _RELS in package.names:
        for rel in package.xml(_RELS).iter(_REL + "Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                target: str = rel.get("Target", "").lstrip("/")  # lxml is untyped
                if target in package.names:
                    return target
    if _MAIN in package.names:
        return _MAIN
    raise CardError(package.source, f"{BINARY} (a zip archive without {_MAIN})")


def docx_text(data: bytes, source: str) -> str:
    """The text of a .docx card in the :mod:`graph.readers.layout` format."""
    package = Package(data, source)
    root = package.xml(_main_part(package))
    body = root.find(W + "body")
    if body is None:
        raise CardError(source, "corrupt .docx: the document part has no body")
    out = Layout()
    try:
        _blocks(body, out, 0)
    except RecursionError:
        raise CardError(source, "corrupt .docx: nested too deeply") from None
    return out.result()


def _sdt_content(sdt: etree._Element) -> etree._Element | None:
    """The content of a content control, or None for an unfilled placeholder."""
    pr = sdt.find(W + "sdtPr")
    if pr is not None and pr.find(W + "showingPlcHdr") is not None:
        return None
    return sdt.find(W + "sdtContent")


def _sdt_checkbox(sdt: etree._Element) -> bool | None:
    """Checked state of a ``w14:checkbox`` content control, None for other controls."""
    pr = sdt.find(W + "sdtPr")
    box = pr.find(W14 + "checkbox") if pr is not None else None
    if box is None:
        return None
    return _on(box.find(W14 + "checked"))


def _unwrap(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children named ``tag``, looking through ``w:sdt`` and ``w:customXml`` wrappers."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag == W + "sdt":
            content = _sdt_content(child)
            if content is not None:
                yield from _unwrap(content, tag)
        elif child.tag == W + "customXml":
            yield from _unwrap(child, tag)


def _blocks(parent: etree._Element, out: Layout, depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    for child in parent.iterchildren():
        tag = child.tag
        if tag == W + "p":
            _inline(child, out, depth)
            out.brk()
        elif tag == W + "tbl":
            _table(child, out, depth + 1)
        elif tag == W + "sdt":
            content = _sdt_content(child)
            if content is not None:
                _blocks(content, out, depth + 1)
        elif tag == W + "customXml":
            _blocks(child, out, depth + 1)


def _table(tbl: etree._Element, out: Layout, depth: int) -> None:
    out.start_table()
    for row in _unwrap(tbl, W + "tr"):
        out.start_row()
        for cell in _unwrap(row, W + "tc"):
            pr = cell.find(W + "tcPr")
            merge = pr.find(W + "hMerge") if pr is not None else None
            if merge is not None and merge.get(W + "val", "continue") == "continue":
                continue  # legacy horizontal merge: the text is in the first cell
            out.start_cell()
            _blocks(cell, out, depth)
            out.end_cell()
        out.end_row()
    out.end_table()


def _inline(parent: etree._Element, out: Layout, depth: int = 0) -> None:
    for child in parent.iterchildren():
        tag = child.tag
        if tag == W + "r":
            _run(child, out, depth)
        elif tag in _CONTAINERS:
            _inline(child, out, depth)
        elif tag == MC + "AlternateContent":
            _boxes(child, out, depth)
        elif tag == W + "sdt":
            state = _sdt_checkbox(child)
            if state is not None:
                out.checkbox(state)
                continue
            content = _sdt_content(child)
            if content is not None:
                _inline(content, out, depth)


def _fonts(run: etree._Element) -> tuple[str | None, str | None]:
    """(font of ASCII characters, font of other characters) from the run's ``w:rFonts``."""
    pr = run.find(W + "rPr")
    fonts = pr.find(W + "rFonts") if pr is not None else None
    if fonts is None:
        return None, None
    ascii_font = fonts.get(W + "ascii")
    cs_font = fonts.get(W + "cs")
    # Word draws every character of a right-to-left or complex-script run in the cs font.
    if cs_font and (_on(pr.find(W + "rtl")) or _on(pr.find(W + "cs"))):
        return cs_font, cs_font
    return ascii_font, fonts.get(W + "hAnsi") or ascii_font


def _hidden(run: etree._Element) -> bool:
    pr = run.find(W + "rPr")
    return pr is not None and _on(pr.find(W + "vanish"))


def _text_boxes(element: etree._Element) -> list[etree._Element]:
    """The outermost text boxes inside a drawing, picture or alternate content; of
    ``mc:AlternateContent`` only the first branch that has any (both hold the same box)."""
    if element.tag == MC + "AlternateContent":
        for branch in element.iterchildren(MC + "Choice", MC + "Fallback"):
            if found := _text_boxes_in(branch):
                return found
        return []
    return _text_boxes_in(element)


def _text_boxes_in(element: etree._Element) -> list[etree._Element]:
    boxes = []
    for box in element.iter(W + "txbxContent"):
        parent = box.getparent()
        while parent is not None and parent is not element and parent.tag != W + "txbxContent":
            parent = parent.getparent()
        if parent is None or parent is element:
            boxes.append(box)
    return boxes


def _boxes(element: etree._Element, out: Layout, depth: int) -> None:
    """Each text box's paragraphs and tables, on lines of their own (a space in a cell)."""
    for box in _text_boxes(element):
        out.brk()
        _blocks(box, out, depth + 1)


def _run(run: etree._Element, out: Layout, depth: int = 0) -> None:
    if _hidden(run):
        return
    fonts = _fonts(run)
    for child in run.iterchildren():
        tag = child.tag
        if tag == W + "t":
            write_text(child.text or "", fonts, out)
        elif tag in _DRAWN:
            _boxes(child, out, depth)
        elif tag in (W + "tab", W + "ptab"):
            out.tab()
        elif tag in (W + "br", W + "cr"):
            out.brk()
        elif tag == W + "noBreakHyphen":
            out.text("-")
        elif tag == W + "sym":
            ch = sym_char(child.get(W + "char"))
            state = glyph_state(child.get(W + "font"), ch) if ch else None
            if isinstance(state, bool):
                out.checkbox(state)
        elif tag == W + "fldChar" and child.get(W + "fldCharType") == "begin":
            box = child.find(f"{W}ffData/{W}checkBox")
            if box is not None:
                checked = box.find(W + "checked")
                if checked is None:
                    out.checkbox(_on(box.find(W + "default")))
                else:
                    out.checkbox(_on(checked))
