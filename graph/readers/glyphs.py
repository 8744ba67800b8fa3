"""Checkbox glyphs of the Wingdings symbol fonts, which lose their meaning as plain text.

Word forms draw boxes with symbol fonts: the run's text is an ordinary Latin letter (or the
same byte in the private-use area U+F0xx, which is how ``w:sym`` and some converters store
it) and only the font makes it a box. Once the font is gone, ``þ`` or ``R`` is noise, so the
Word reader turns them into the canonical checkbox markup while it still knows the font.
Glyphs of these fonts that are not boxes are pictures, not text, and are dropped.

Code points (low byte of the glyph; the private-use form is ``0xF000 + byte``):

==============  ======  =====  ==================================  ==========
font            byte    char   glyph                               meaning
==============  ======  =====  ==================================  ==========
Wingdings       0x6F    ``o``  white square □                      unchecked
Wingdings       0xA8    ``¨``  ballot box ☐ (◻)                    unchecked
Wingdings       0x78    ``x``  X in a rectangle ⌧                  checked
Wingdings       0xFC    ``ü``  check mark ✓                        checked
Wingdings       0xFD    ``ý``  ballot box with X ☒                 checked
Wingdings       0xFE    ``þ``  ballot box with check ☑             checked
Wingdings 2     0x50    ``P``  check mark ✓                        checked
Wingdings 2     0x51    ``Q``  ballot box with X ☒ (light)         checked
Wingdings 2     0x52    ``R``  ballot box with check ☑             checked
Wingdings 2     0x53    ``S``  ballot box with X ☒                 checked
Wingdings 2     0x54    ``T``  ballot box with bold X ☒            checked
Wingdings 2     0xA3    ``£``  ballot box ☐                        unchecked
==============  ======  =====  ==================================  ==========

Unicode ☒ ☑ ☐ typed in an ordinary font are left as they are: they mean the same thing in
plain text and the parser reads them.

>>> glyph_state("Wingdings", "\\uf0fe"), glyph_state("Wingdings 2", "£"), glyph_state("Arial", "R")
(True, False, None)
"""

from __future__ import annotations

from graph.readers.layout import Layout

__all__ = ["DROP", "glyph_state", "is_symbol_font", "sym_char", "write_text"]

_WINGDINGS = {0x6F: False, 0xA8: False, 0x78: True, 0xFC: True, 0xFD: True, 0xFE: True}
_WINGDINGS_2 = {0x50: True, 0x51: True, 0x52: True, 0x53: True, 0x54: True, 0xA3: False}
_FONTS = {"wingdings": _WINGDINGS, "wingdings 2": _WINGDINGS_2}

DROP = "drop"
"""Returned for a glyph of a symbol font that is not a checkbox."""


def is_symbol_font(font: str | None) -> bool:
    """True for the fonts whose glyphs this module knows."""
    return font is not None and font.strip().casefold() in _FONTS


def glyph_state(font: str | None, ch: str) -> bool | str | None:
    """``True``/``False`` for a checked/unchecked box, :data:`DROP` for another glyph of
    the font, ``None`` when ``ch`` in ``font`` is ordinary text."""
    if font is None or ch.isspace():
        return None
    table = _FONTS.get(font.strip().casefold())
    if table is None:
        return None
    code = ord(ch)
    if 0xF000 <= code <= 0xF0FF:
        code -= 0xF000
    elif code > 0xFF:
        return None  # Persian or other real text typed in the symbol font by mistake
    state = table.get(code)
    return DROP if state is None else state


def sym_char(value: str | None) -> str | None:
    """The character of a ``w:sym/@w:char`` value such as ``F0FE`` (hex), or None."""
    try:
        code = int(value or "", 16)
    except ValueError:
        return None
    return chr(code) if 0 <= code <= 0xFFFF else None


def write_text(text: str, fonts: tuple[str | None, str | None], out: Layout) -> None:
    """Write ``text`` set in ``fonts`` (the font of ASCII characters, the font of others):
    glyphs of a symbol font that are boxes become checkboxes, its other glyphs are dropped,
    everything else is text. Word documents and Word's web pages share this.
    """
    if not is_symbol_font(fonts[0]) and not is_symbol_font(fonts[1]):
        out.text(text)
        return
    plain: list[str] = []
    for ch in text:
        state = glyph_state(fonts[0] if ch < "\x80" else fonts[1], ch)
        if state is None:
            plain.append(ch)
            continue
        out.text("".join(plain))
        plain.clear()
        if state is not DROP:
            out.checkbox(bool(state))
    out.text("".join(plain))
